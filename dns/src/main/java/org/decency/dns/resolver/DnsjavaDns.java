package org.decency.dns.resolver;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.decency.dns.Dns;
import org.decency.dns.DnsAnswer;
import org.decency.dns.DnsAnswer.Status;
import org.decency.dns.DnsType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The resolver: asks the configured nameservers in order (each {@code retries + 1}
 * times, {@code timeout} a try) through dnsjava's asynchronous resolver, follows CNAME
 * chains, and keeps answers in a cache for their TTL, negative answers for their SOA
 * minimum. Identical questions asked at once share one query.
 */
public final class DnsjavaDns implements Dns {
    private static final Logger log = LoggerFactory.getLogger(DnsjavaDns.class);
    private static final int MAX_CNAME_HOPS = 8;

    private record Key(String name, DnsType type) {}

    private final DnsSettings settings;
    private final List<SimpleResolver> resolvers;
    private final Cache<Key, DnsAnswer> cache;
    private final ConcurrentHashMap<Key, CompletableFuture<DnsAnswer>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public DnsjavaDns(DnsSettings settings) {
        this(settings, java.time.Clock.systemUTC());
    }

    /** With {@code clock} ageing the cached answers (tests move it). */
    public DnsjavaDns(DnsSettings settings, java.time.Clock clock) {
        this.settings = settings;
        List<InetSocketAddress> servers = settings.servers().isEmpty() ? systemServers() : settings.servers();
        this.resolvers = new ArrayList<>();
        for (InetSocketAddress s : servers) {
            SimpleResolver r = new SimpleResolver(s);
            r.setTimeout(settings.timeout());
            resolvers.add(r);
        }
        this.cache = Caffeine.newBuilder()
                .maximumSize(settings.cacheSize())
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(Expiry.creating((Key k, DnsAnswer a) -> java.time.Duration.ofSeconds(a.ttlSeconds())))
                .executor(Runnable::run)
                .build();
        log.info("DNS: asking {} (timeout {} a try, {} retries), caching up to {} answers",
                servers, settings.timeout(), settings.retries(), settings.cacheSize());
    }

    private static List<InetSocketAddress> systemServers() {
        List<InetSocketAddress> s = ResolverConfig.getCurrentConfig().servers();
        if (s.isEmpty()) throw new IllegalStateException("no dns.servers configured and the system names none");
        log.warn("DNS: no dns.servers configured; using the system's resolver configuration {}", s);
        return s;
    }

    /**
     * A resolver made on the first question: a server whose checks never ask DNS never
     * reads the system's resolver configuration or opens a socket for it.
     */
    public static Dns lazy(DnsSettings settings) {
        return new Dns() {
            private volatile DnsjavaDns real;

            @Override
            public CompletableFuture<DnsAnswer> query(String name, DnsType type) {
                DnsjavaDns r = real;
                if (r == null) {
                    synchronized (this) {
                        if (real == null) real = new DnsjavaDns(settings);
                        r = real;
                    }
                }
                return r.query(name, type);
            }
        };
    }

    /** Answers served from the cache so far. */
    public long cacheHits() {
        return hits.sum();
    }

    /** Questions that went to a nameserver so far. */
    public long cacheMisses() {
        return misses.sum();
    }

    @Override
    public CompletableFuture<DnsAnswer> query(String name, DnsType type) {
        String normal = normalize(name);
        if (normal == null) return CompletableFuture.completedFuture(DnsAnswer.of(Status.BAD_NAME));
        Key key = new Key(normal, type);
        DnsAnswer cached = cache.getIfPresent(key);
        if (cached != null) {
            hits.increment();
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<DnsAnswer> mine = new CompletableFuture<>();
        CompletableFuture<DnsAnswer> running = inFlight.putIfAbsent(key, mine);
        if (running != null) return running;
        misses.increment();
        resolve(normal, type, 0).whenComplete((answer, error) -> {
            DnsAnswer a = error == null ? answer : DnsAnswer.of(Status.SERVFAIL);
            if (a.ttlSeconds() > 0) cache.put(key, a);
            inFlight.remove(key, mine);
            mine.complete(a);
        });
        return mine;
    }

    /** Lower case, no trailing dot; null when not a name DNS can carry. */
    static String normalize(String name) {
        if (name == null) return null;
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) n = n.substring(0, n.length() - 1);
        if (n.isEmpty() || n.length() > 253) return null;
        int start = 0;
        for (int i = 0; i <= n.length(); i++) {
            if (i == n.length() || n.charAt(i) == '.') {
                int len = i - start;
                if (len == 0 || len > 63) return null;
                start = i + 1;
            }
        }
        return n;
    }

    private CompletableFuture<DnsAnswer> resolve(String name, DnsType type, int hops) {
        Message query;
        try {
            query = Message.newQuery(Record.newRecord(Name.fromString(name + "."), type(type), DClass.IN));
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(DnsAnswer.of(Status.BAD_NAME));
        }
        return send(query, 0, 0).thenCompose(response -> {
            if (response == null) return CompletableFuture.completedFuture(DnsAnswer.of(Status.TIMEOUT));
            return interpret(name, type, response, hops);
        });
    }

    /** Sends to server {@code server}, try {@code attempt}; moves on after a timeout. Null: nobody answered. */
    private CompletableFuture<Message> send(Message query, int server, int attempt) {
        if (server >= resolvers.size()) return CompletableFuture.completedFuture(null);
        // Our own deadline per try: dnsjava notices its timeouts only about once a second.
        return resolvers.get(server).sendAsync(query).toCompletableFuture()
                .orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error == null) return CompletableFuture.completedFuture(response);
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (!(cause instanceof TimeoutException || cause instanceof IOException)) {
                        log.debug("DNS: {} failed at {}: {}", query.getQuestion(), resolvers.get(server).getAddress(), cause.toString());
                    }
                    return attempt < settings.retries()
                            ? send(query, server, attempt + 1)
                            : send(query, server + 1, 0);
                })
                .thenCompose(f -> f);
    }

    private CompletableFuture<DnsAnswer> interpret(String name, DnsType type, Message response, int hops) {
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) return done(new DnsAnswer(Status.NXDOMAIN, List.of(), negativeTtl(response)));
        if (rcode != Rcode.NOERROR) return done(new DnsAnswer(Status.SERVFAIL, List.of(), settings.errorTtl().toSeconds()));

        List<Record> answers = response.getSection(Section.ANSWER);
        int wanted = type(type);
        Name target;
        try {
            target = Name.fromString(name + ".");
        } catch (TextParseException e) {
            return done(DnsAnswer.of(Status.BAD_NAME));
        }
        long ttl = settings.maxTtl().toSeconds();
        List<Record> found = new ArrayList<>();
        for (int chain = 0; chain <= MAX_CNAME_HOPS; chain++) {
            Record alias = null;
            for (Record r : answers) {
                if (!r.getName().equals(target)) continue;
                if (r.getType() == wanted) found.add(r);
                else if (r.getType() == Type.CNAME) alias = r;
            }
            if (!found.isEmpty() || alias == null || wanted == Type.CNAME) break;
            ttl = Math.min(ttl, alias.getTTL());
            target = ((CNAMERecord) alias).getTarget();
        }
        if (found.isEmpty()) {
            String end = target.toString(true).toLowerCase(Locale.ROOT);
            if (!end.equals(name) && hops < MAX_CNAME_HOPS) {
                // The answer ended in an alias without its data: ask for the alias's target.
                long aliasTtl = ttl;
                return resolve(end, type, hops + 1).thenApply(a -> a.ttlSeconds() <= aliasTtl ? a
                        : new DnsAnswer(a.status(), a.values(), aliasTtl));
            }
            return done(new DnsAnswer(Status.NODATA, List.of(), negativeTtl(response)));
        }
        for (Record r : found) ttl = Math.min(ttl, r.getTTL());
        return done(new DnsAnswer(Status.OK, values(type, found), Math.max(0, ttl)));
    }

    private static CompletableFuture<DnsAnswer> done(DnsAnswer a) {
        return CompletableFuture.completedFuture(a);
    }

    /** RFC 2308: the lesser of the SOA's TTL and minimum; the configured default without an SOA. */
    private long negativeTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) return Math.min(settings.maxTtl().toSeconds(), Math.min(soa.getTTL(), soa.getMinimum()));
        }
        return settings.negativeTtl().toSeconds();
    }

    private static List<String> values(DnsType type, List<Record> records) {
        List<String> out = new ArrayList<>(records.size());
        if (type == DnsType.MX) {
            records.stream().map(r -> (MXRecord) r).sorted(Comparator.comparingInt(MXRecord::getPriority))
                    .forEach(mx -> out.add(host(mx.getTarget())));
            return out;
        }
        for (Record r : records) {
            switch (r) {
                case ARecord a -> out.add(a.getAddress().getHostAddress());
                case AAAARecord a -> out.add(a.getAddress().getHostAddress());
                case TXTRecord t -> out.add(text(t));
                case PTRRecord p -> out.add(host(p.getTarget()));
                case CNAMERecord c -> out.add(host(c.getTarget()));
                case NSRecord n -> out.add(host(n.getTarget()));
                default -> { }
            }
        }
        return out;
    }

    /**
     * The record's character-strings joined, as the bytes say (UTF-8). Not dnsjava's
     * {@code getStrings()}: that gives presentation form, with quotes, backslashes and
     * bytes outside printable ASCII escaped ({@code \"}, {@code \\}, {@code \195}).
     */
    private static String text(TXTRecord t) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] s : t.getStringsAsByteArrays()) out.writeBytes(s);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String host(Name n) {
        if (n.equals(Name.root)) return ".";
        return n.toString(true).toLowerCase(Locale.ROOT);
    }

    private static int type(DnsType t) {
        return switch (t) {
            case A -> Type.A;
            case AAAA -> Type.AAAA;
            case MX -> Type.MX;
            case TXT -> Type.TXT;
            case PTR -> Type.PTR;
            case CNAME -> Type.CNAME;
            case NS -> Type.NS;
        };
    }

}
