package org.decency.checks.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.decency.core.IpAddress;
import org.decency.dns.Dns;
import org.decency.dns.DnsAnswer;
import org.decency.dns.DnsType;

/**
 * Starts the lookups checks combine: a host's addresses (A and AAAA at once), a
 * domain's mail hosts with their addresses, a client's PTR names with their forward
 * addresses. Every question is asked at once and ends by the {@link Deadline} at the
 * latest (as a TIMEOUT), so a silent nameserver costs a check its budget, never more.
 * Follows at most {@value #MAX_MX_HOSTS} mail hosts and {@value #MAX_PTR_NAMES} PTR names.
 */
public final class DnsLookups {
    static final int MAX_MX_HOSTS = 10;
    static final int MAX_PTR_NAMES = 5;

    private final Dns dns;
    private final Deadline deadline;

    public DnsLookups(Dns dns, Deadline deadline) {
        this.dns = dns;
        this.deadline = deadline;
    }

    public Deadline deadline() {
        return deadline;
    }

    /** One question, ending as a TIMEOUT at the deadline. */
    public CompletableFuture<DnsAnswer> ask(String name, DnsType type) {
        // copy(): the resolver shares one future between identical questions; ours may time out alone.
        return dns.query(name, type).copy()
                .completeOnTimeout(DnsAnswer.of(DnsAnswer.Status.TIMEOUT), deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The A and AAAA addresses of {@code name}, asked at once. */
    public CompletableFuture<Addresses> addresses(String name) {
        String host = normal(name);
        return ask(host, DnsType.A).thenCombine(ask(host, DnsType.AAAA), (a, aaaa) -> combine(host, a, aaaa));
    }

    /** The MX records of {@code domain}, then the addresses of each exchange. */
    public CompletableFuture<MailHosts> mailHosts(String domain) {
        String d = normal(domain);
        return ask(d, DnsType.MX).thenCompose(mx -> {
            List<String> names = mx.found()
                    ? mx.values().stream().filter(n -> !n.equals(".")).distinct().limit(MAX_MX_HOSTS).toList()
                    : List.of();
            List<CompletableFuture<Addresses>> hosts = names.stream().map(this::addresses).toList();
            return CompletableFuture.allOf(hosts.toArray(CompletableFuture[]::new))
                    .thenApply(v -> new MailHosts(d, mx, hosts.stream().map(CompletableFuture::join).toList()));
        });
    }

    /** The PTR names of {@code ip}; with {@code confirm}, also the addresses each name resolves to. */
    public CompletableFuture<ReverseNames> reverse(IpAddress ip, boolean confirm) {
        return ask(ptrName(ip), DnsType.PTR).thenCompose(ptr -> {
            List<CompletableFuture<Addresses>> forward = confirm && ptr.found()
                    ? ptr.values().stream().distinct().limit(MAX_PTR_NAMES).map(this::addresses).toList()
                    : List.of();
            return CompletableFuture.allOf(forward.toArray(CompletableFuture[]::new))
                    .thenApply(v -> new ReverseNames(ip, ptr, forward.stream().map(CompletableFuture::join).toList()));
        });
    }

    /** {@code 10.2.0.192.in-addr.arpa} for 192.0.2.10; the nibble form under {@code ip6.arpa} for IPv6. */
    public static String ptrName(IpAddress ip) {
        byte[] b = ip.bytes();
        StringBuilder s = new StringBuilder();
        if (ip.isV4()) {
            for (int i = 3; i >= 0; i--) s.append(b[i] & 255).append('.');
            return s.append("in-addr.arpa").toString();
        }
        String hex = "0123456789abcdef";
        for (int i = 15; i >= 0; i--) {
            s.append(hex.charAt(b[i] & 15)).append('.').append(hex.charAt((b[i] >> 4) & 15)).append('.');
        }
        return s.append("ip6.arpa").toString();
    }

    /** Lower case, without brackets or a trailing dot. */
    public static String normal(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static Addresses combine(String name, DnsAnswer a, DnsAnswer aaaa) {
        List<IpAddress> list = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        collect(name, "A", a, list, unanswered);
        collect(name, "AAAA", aaaa, list, unanswered);
        return new Addresses(name, list, unanswered);
    }

    private static void collect(String name, String type, DnsAnswer answer, List<IpAddress> list, List<String> unanswered) {
        if (answer.temporaryError()) unanswered.add(name + " " + type + " (" + answer.status() + ")");
        if (!answer.found()) return;
        for (String v : answer.values()) IpAddress.parse(v).ifPresent(list::add);
    }
}
