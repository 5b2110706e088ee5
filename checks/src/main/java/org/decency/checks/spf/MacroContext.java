package org.decency.checks.spf;

import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * The values of the macro letters (RFC 7208 §7.2) while one domain is evaluated.
 * {@code p} is looked up only when a record asks for it.
 *
 * @param validatedName gives the {@code p} value for a domain: a validated name of the client, or "unknown"
 */
record MacroContext(SpfRequest request, String domain, String receiver, Clock clock, UnaryOperator<String> validatedName) {

    /** The same request, evaluating {@code other}. */
    MacroContext at(String other) {
        return new MacroContext(request, other, receiver, clock, validatedName);
    }

    /** The value of a macro letter (lower case). */
    String value(char letter) {
        return switch (letter) {
            case 's' -> request.sender();
            case 'l' -> request.localPart();
            case 'o' -> request.startDomain();
            case 'd' -> domain;
            case 'i' -> IpText.dotted(request.ip());
            case 'p' -> validatedName.apply(domain);
            case 'v' -> request.ip().isV4() ? "in-addr" : "ip6";
            case 'h' -> request.helo();
            case 'c' -> IpText.readable(request.ip());
            case 'r' -> receiver;
            case 't' -> Long.toString(clock.instant().getEpochSecond());
            default -> throw new IllegalArgumentException("no macro letter: " + letter); // the parser lets none other through
        };
    }
}
