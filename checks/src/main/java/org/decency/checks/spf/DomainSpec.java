package org.decency.checks.spf;

import java.util.regex.Pattern;

/** A domain-spec (RFC 7208 §7.1): a macro-string ending in a macro or in {@code "." toplabel ["."]}. */
record DomainSpec(MacroString macro) {
    private static final Pattern END = Pattern.compile("(?s).*\\." + DomainNames.TOPLABEL + "\\.?");

    static DomainSpec parse(String text) throws SpfSyntaxException {
        if (text.isEmpty()) throw new SpfSyntaxException("empty domain-spec");
        MacroString m = MacroString.parse(text, false);
        if (!m.endsInMacro() && !END.matcher(m.trailingLiteral()).matches()) {
            throw new SpfSyntaxException("\"" + text + "\" does not end in a macro or a top-level domain name");
        }
        return new DomainSpec(m);
    }

    /** The name to ask DNS about: expanded, without a trailing dot, at most 253 characters. */
    String targetName(MacroContext context) {
        return DomainNames.shortened(DomainNames.withoutTrailingDot(macro.expand(context)));
    }

    @Override
    public String toString() {
        return macro.toString();
    }
}
