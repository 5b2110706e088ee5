package org.decency.checks.spf;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.decency.core.IpAddress;
import org.decency.dns.DnsAnswer;
import org.decency.dns.DnsType;

/**
 * One evaluation of RFC 7208's check_host() for a request, includes and redirects
 * included: the record lookup (§4.4, §4.5), the mechanisms (§5), the modifiers (§6) and
 * the processing limits (§4.6.4), which count across the whole evaluation.
 */
final class CheckHost {
    static final int MAX_DNS_TERMS = 10;
    static final int MAX_VOID_LOOKUPS = 2;

    /** What a record gave; {@code record} and {@code domain} are the ones whose exp= explains a fail. */
    private record Found(SpfResult result, String why, boolean byDefault, SpfRecord record, String domain) {}

    private final SpfRequest request;
    private final SpfLookups dns;
    private final String receiver;
    private final Clock clock;
    private final MacroString defaultExplanation;
    private final ClientNames clientNames;
    private final byte[] client;
    private int dnsTerms;
    private int voidLookups;

    CheckHost(SpfRequest request, SpfLookups dns, String receiver, Clock clock, MacroString defaultExplanation) {
        this.request = request;
        this.dns = dns;
        this.receiver = receiver;
        this.clock = clock;
        this.defaultExplanation = defaultExplanation;
        this.clientNames = new ClientNames(request.ip(), dns);
        this.client = request.ip().bytes();
    }

    SpfVerdict run() {
        try {
            Found f = checkHost(request.startDomain());
            if (f.result() != SpfResult.FAIL) return new SpfVerdict(f.result(), "", false, f.why(), f.byDefault());
            return explained(f);
        } catch (SpfFailure e) {
            return SpfVerdict.of(e.result(), e.getMessage());
        }
    }

    private Found checkHost(String domain) throws SpfFailure {
        if (!DomainNames.isWellFormed(domain)) return new Found(SpfResult.NONE, "\"" + domain + "\" is no domain name", false, null, domain);
        SpfRecord spf = lookUp(domain);
        if (spf == null) return new Found(SpfResult.NONE, "no SPF record at " + domain, false, null, domain);
        MacroContext context = context(domain);
        for (Mechanism m : spf.mechanisms()) {
            if (matches(m, context)) return new Found(m.qualifier().result(), "matched " + m.text() + " at " + domain, false, spf, domain);
        }
        if (spf.redirect() != null) {
            countDnsTerm("redirect=" + spf.redirect());
            String target = spf.redirect().targetName(context);
            Found f = checkHost(target);
            if (f.result() == SpfResult.NONE) throw SpfFailure.permerror("redirect=" + target + " at " + domain + ": " + f.why());
            return f;
        }
        return new Found(SpfResult.NEUTRAL, "no mechanism matched at " + domain, true, spf, domain);
    }

    /** The one v=spf1 record of {@code domain}, or null when it has none. */
    private SpfRecord lookUp(String domain) throws SpfFailure {
        DnsAnswer txt = dns.ask(domain, DnsType.TXT);
        if (txt.temporaryError()) throw SpfFailure.temperror("TXT lookup of " + domain + ": " + txt.status());
        if (!txt.found()) return null;
        List<String> records = txt.values().stream().filter(SpfRecord::isSpf1).toList();
        if (records.isEmpty()) return null;
        if (records.size() > 1) throw SpfFailure.permerror(domain + " has " + records.size() + " v=spf1 records");
        try {
            return SpfRecordParser.parse(records.getFirst());
        } catch (SpfSyntaxException e) {
            throw SpfFailure.permerror("record of " + domain + ": " + e.getMessage());
        }
    }

    private MacroContext context(String domain) {
        return new MacroContext(request, domain, receiver, clock, clientNames::validatedName);
    }

    private boolean matches(Mechanism m, MacroContext context) throws SpfFailure {
        if (m.queriesDns()) countDnsTerm(m.text());
        return switch (m) {
            case Mechanism.All all -> true;
            case Mechanism.Ip ip -> ip.network().contains(client);
            case Mechanism.A a -> addressMatches(m, target(a.domain(), context), cidr(a.cidr4(), a.cidr6()));
            case Mechanism.Mx mx -> mxMatches(m, target(mx.domain(), context), cidr(mx.cidr4(), mx.cidr6()));
            case Mechanism.Ptr ptr -> ptrMatches(m, target(ptr.domain(), context));
            case Mechanism.Exists e -> exists(m, target(e.domain(), context));
            case Mechanism.Include i -> includeMatches(m, target(i.domain(), context));
        };
    }

    private static String target(DomainSpec spec, MacroContext context) {
        return spec == null ? context.domain() : spec.targetName(context);
    }

    private int cidr(int cidr4, int cidr6) {
        return request.ip().isV4() ? cidr4 : cidr6;
    }

    private DnsType addressType() {
        return request.ip().isV4() ? DnsType.A : DnsType.AAAA;
    }

    private boolean addressMatches(Mechanism m, String name, int cidr) throws SpfFailure {
        DnsAnswer a = dns.ask(name, addressType());
        failOnError(m, name, addressType(), a);
        if (a.none()) countVoid(m, name);
        return anyWithin(a, cidr);
    }

    private boolean mxMatches(Mechanism m, String name, int cidr) throws SpfFailure {
        DnsAnswer mx = dns.ask(name, DnsType.MX);
        failOnError(m, name, DnsType.MX, mx);
        if (mx.none()) countVoid(m, name);
        if (!mx.found()) return false;
        List<String> hosts = mx.values().stream().filter(h -> !h.equals(".")).toList(); // "." is a null MX
        if (hosts.size() > ClientNames.MAX_NAMES) {
            throw SpfFailure.permerror(m.text() + ": " + name + " has " + hosts.size() + " MX hosts, more than " + ClientNames.MAX_NAMES);
        }
        List<CompletableFuture<DnsAnswer>> answers = new ArrayList<>();
        for (String host : hosts) answers.add(dns.start(host, addressType()));
        for (int i = 0; i < hosts.size(); i++) {
            DnsAnswer a = dns.await(answers.get(i));
            failOnError(m, hosts.get(i), addressType(), a);
            if (anyWithin(a, cidr)) return true;
        }
        return false;
    }

    private boolean ptrMatches(Mechanism m, String target) throws SpfFailure {
        DnsAnswer ptr = clientNames.ptrAnswer();
        if (ptr.none()) countVoid(m, IpText.reverseName(request.ip()));
        return clientNames.anyValidatedAtOrBelow(target); // DNS errors: no match (§5.5)
    }

    private boolean exists(Mechanism m, String name) throws SpfFailure {
        DnsAnswer a = dns.ask(name, DnsType.A); // A even for an IPv6 client (§5.7)
        failOnError(m, name, DnsType.A, a);
        if (a.none()) countVoid(m, name);
        return a.found();
    }

    private boolean includeMatches(Mechanism m, String target) throws SpfFailure {
        Found f = checkHost(target);
        return switch (f.result()) {
            case PASS -> true;
            case FAIL, SOFTFAIL, NEUTRAL -> false;
            case NONE -> throw SpfFailure.permerror(m.text() + ": " + f.why());
            case PERMERROR, TEMPERROR -> throw new IllegalStateException("errors end the check as SpfFailure");
        };
    }

    private static void failOnError(Mechanism m, String name, DnsType type, DnsAnswer a) throws SpfFailure {
        if (a.temporaryError()) throw SpfFailure.temperror(m.text() + ": " + type + " lookup of " + name + ": " + a.status());
    }

    private boolean anyWithin(DnsAnswer a, int cidr) {
        if (!a.found()) return false;
        for (String value : a.values()) {
            IpAddress address = IpAddress.parse(value).orElse(null);
            if (address != null && new IpNetwork(address.bytes(), cidr).contains(client)) return true;
        }
        return false;
    }

    private void countDnsTerm(String term) throws SpfFailure {
        if (++dnsTerms > MAX_DNS_TERMS) {
            throw SpfFailure.permerror("more than " + MAX_DNS_TERMS + " DNS-querying mechanisms and redirects (at " + term + ")");
        }
    }

    private void countVoid(Mechanism m, String name) throws SpfFailure {
        if (++voidLookups > MAX_VOID_LOOKUPS) {
            throw SpfFailure.permerror("more than " + MAX_VOID_LOOKUPS + " lookups found nothing (at " + m.text() + ", " + name + ")");
        }
    }

    /** A fail with its explanation: the exp= text of the record that failed (§6.2), or the default one. */
    private SpfVerdict explained(Found f) {
        MacroContext context = context(f.domain());
        if (f.record().explanation() != null) {
            String target = f.record().explanation().targetName(context);
            DnsAnswer txt = dns.ask(target, DnsType.TXT);
            if (txt.found() && txt.values().size() == 1) {
                try {
                    String text = MacroString.parse(txt.values().getFirst(), true).expand(context);
                    if (!text.isBlank()) return new SpfVerdict(SpfResult.FAIL, text, true, f.why(), false);
                } catch (SpfSyntaxException e) {
                    // an explanation that does not parse is ignored (§6.2)
                }
            }
        }
        return new SpfVerdict(SpfResult.FAIL, defaultExplanation.expand(context), false, f.why(), false);
    }
}
