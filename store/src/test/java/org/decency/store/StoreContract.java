package org.decency.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do, run against each backend by a subclass: the in-memory
 * store, the embedded store, Redis, PostgreSQL, and Redis+PostgreSQL split. Greylist,
 * Throttle, Honeypot, AWL, the lists and the Doorman's scores rely on exactly this.
 */
public abstract class StoreContract {

    /** A fresh store on an empty backend (called before each test). */
    protected abstract Store open() throws Exception;

    /**
     * Another instance on the same backend, as a second Decency process would have; the
     * single-process stores return {@code first} itself.
     */
    protected Store openAnother(Store first) throws Exception {
        return first;
    }

    /** Lets {@code d} pass: a manual clock moves, a real backend is waited for. */
    protected void pass(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    /** The summed row (calls, score, runtime) as the backend keeps it, or empty. */
    protected abstract Optional<double[]> statsRow(Store store, String server, String table, String module, String status,
                                                   String period, long start) throws Exception;

    /** A lifetime that is short on a real backend, yet long enough for a few calls to pass. */
    protected Duration shortTtl() {
        return Duration.ofMillis(800);
    }

    protected Store store;
    private final List<Store> others = new ArrayList<>();

    @BeforeEach
    void openStore() throws Exception {
        store = open();
    }

    @AfterEach
    void closeStores() {
        for (Store s : others) if (s != store) s.close();
        if (store != null) store.close();
    }

    private Store another() throws Exception {
        Store s = openAnother(store);
        others.add(s);
        return s;
    }

    @Test
    void getPutReplaceAndMissing() {
        assertThat(store.get("greylist:a")).isEmpty();
        store.put("greylist:a", "1700000000,0", Duration.ofHours(1));
        assertThat(store.get("greylist:a")).contains("1700000000,0");
        store.put("greylist:a", "1700000000,1", Duration.ofHours(1));
        assertThat(store.get("greylist:a")).contains("1700000000,1");
        store.put("unicode:ü", "wert mit ü und \t tab", Duration.ofHours(1));
        assertThat(store.get("unicode:ü")).contains("wert mit ü und \t tab");
    }

    @Test
    void valuesExpireAfterTheirTtl() throws Exception {
        Duration ttl = shortTtl();
        store.put("honeypot:192.0.2.1", "1", ttl);
        store.put("long", "1", Duration.ofHours(1));
        assertThat(store.get("honeypot:192.0.2.1")).contains("1");
        pass(ttl.plus(ttl.dividedBy(2)));
        assertThat(store.get("honeypot:192.0.2.1")).isEmpty();
        assertThat(store.get("long")).contains("1");
    }

    @Test
    void putReplacesTheLifetime() throws Exception {
        Duration ttl = shortTtl();
        store.put("k", "1", ttl);
        store.put("k", "2", Duration.ofHours(1));
        pass(ttl.plus(ttl.dividedBy(2)));
        assertThat(store.get("k")).contains("2");
    }

    @Test
    void putIfAbsentSetsOnlyWhenAbsentOrExpired() throws Exception {
        Duration ttl = shortTtl();
        assertThat(store.putIfAbsent("greylist:t", "first", ttl)).isTrue();
        assertThat(store.putIfAbsent("greylist:t", "second", ttl)).isFalse();
        assertThat(store.get("greylist:t")).contains("first");
        pass(ttl.plus(ttl.dividedBy(2)));
        assertThat(store.putIfAbsent("greylist:t", "third", Duration.ofHours(1))).as("an expired key counts as absent").isTrue();
        assertThat(store.get("greylist:t")).contains("third");
    }

    @Test
    void deleteTellsWhetherTheKeyWasThere() throws Exception {
        store.put("doorman:id", "score", Duration.ofHours(1));
        assertThat(store.delete("doorman:id")).isTrue();
        assertThat(store.get("doorman:id")).isEmpty();
        assertThat(store.delete("doorman:id")).isFalse();
        assertThat(store.delete("never")).isFalse();
        Duration ttl = shortTtl();
        store.put("old", "v", ttl);
        pass(ttl.plus(ttl.dividedBy(2)));
        assertThat(store.delete("old")).as("an expired key was not there").isFalse();
        assertThat(store.putIfAbsent("doorman:id", "again", Duration.ofHours(1))).isTrue();
    }

    @Test
    void incrementCountsAndKeepsTheFirstExpiry() throws Exception {
        Duration ttl = shortTtl();
        assertThat(store.increment("throttle:c", 1, ttl)).isEqualTo(1);
        assertThat(store.increment("throttle:c", 5, ttl)).isEqualTo(6);
        assertThat(store.increment("throttle:c", -2, ttl)).isEqualTo(4);
        assertThat(store.get("throttle:c")).contains("4");
        pass(ttl.dividedBy(2));
        assertThat(store.increment("throttle:c", 1, ttl)).as("no renewal by increment").isEqualTo(5);
        pass(ttl.dividedBy(2).plus(ttl.dividedBy(3)));
        assertThat(store.get("throttle:c")).as("expired at the first increment's ttl").isEmpty();
        assertThat(store.increment("throttle:c", 3, ttl)).as("a new window starts at the delta").isEqualTo(3);
    }

    @Test
    void incrementStartsAtTheDeltaAndIsReadableAsText() {
        assertThat(store.increment("awl:pair", 7, Duration.ofHours(1))).isEqualTo(7);
        assertThat(store.get("awl:pair")).contains("7");
        assertThat(store.increment("neg", -3, Duration.ofHours(1))).isEqualTo(-3);
    }

    @Test
    void incrementOfATextValueStartsFromZero() {
        store.put("text", "not a number", Duration.ofHours(1));
        assertThat(store.increment("text", 2, Duration.ofHours(1))).isEqualTo(2);
        assertThat(store.increment("text", 2, Duration.ofHours(1))).isEqualTo(4);
    }

    @Test
    void getAllAnswersTheLiveKeysOnly() throws Exception {
        Duration ttl = shortTtl();
        store.put("tok:a", "1", Duration.ofHours(1));
        store.increment("tok:b", 4294967297L, Duration.ofHours(1));
        store.put("tok:short", "x", ttl);
        pass(ttl.plus(ttl.dividedBy(2)));
        assertThat(store.getAll(List.of("tok:a", "tok:b", "tok:short", "tok:absent")))
                .containsOnly(java.util.Map.entry("tok:a", "1"), java.util.Map.entry("tok:b", "4294967297"));
        assertThat(another().getAll(List.of("tok:a"))).as("seen by another instance").containsEntry("tok:a", "1");
        assertThat(store.getAll(List.of())).isEmpty();
    }

    @Test
    void incrementAllAddsAndRenewsEveryCounter() throws Exception {
        Duration ttl = shortTtl();
        java.util.Map<String, Long> deltas = new java.util.LinkedHashMap<>();
        deltas.put("tok:x", 1L << 32);
        deltas.put("tok:y", 1L);
        store.incrementAll(deltas, ttl);
        store.incrementAll(java.util.Map.of("tok:y", -3L), ttl);
        assertThat(store.get("tok:x")).contains(Long.toString(1L << 32));
        assertThat(another().get("tok:y")).as("a counter may go below zero").contains("-2");
        pass(ttl.dividedBy(2));
        another().incrementAll(java.util.Map.of("tok:x", 1L), ttl);
        pass(ttl.dividedBy(2).plus(ttl.dividedBy(3)));
        assertThat(store.get("tok:x")).as("renewed by the second batch").contains(Long.toString((1L << 32) + 1));
        assertThat(store.get("tok:y")).as("not renewed: expired").isEmpty();
    }

    @Test
    void getEachAndIncrementEachAreTheBatchCallsInOrderAndWithOneDelta() throws Exception {
        Duration ttl = shortTtl();
        store.incrementEach(List.of("tok:p", "tok:q"), 1L << 32, ttl);
        store.incrementEach(List.of("tok:q"), 1, ttl);
        store.put("tok:short", "x", ttl.dividedBy(4));
        assertThat(another().getEach(List.of("tok:q", "tok:absent", "tok:p")))
                .containsExactly(Long.toString((1L << 32) + 1), null, Long.toString(1L << 32));
        pass(ttl.dividedBy(2));
        store.incrementEach(List.of("tok:p"), -1, ttl);
        pass(ttl.dividedBy(2).plus(ttl.dividedBy(3)));
        assertThat(store.getEach(List.of("tok:p", "tok:q", "tok:short")))
                .as("p renewed, q expired, short expired").containsExactly(Long.toString((1L << 32) - 1), null, null);
        assertThat(store.getEach(List.of())).isEmpty();
    }

    @Test
    void aCounterTableAddsInOrderSharesItsCountersAndLetsUnusedOnesExpire() throws Exception {
        Duration ttl = shortTtl();
        Store other = another(); // opened first: opening takes a while on a shared backend
        CounterTable t = store.counterTable("tab:a:");
        t.add(new long[]{1, -7, 0}, 1L << 32, ttl);
        t.add(new long[]{-7}, 1, ttl);
        assertThat(other.counterTable("tab:a:").get(new long[]{-7, 2, 1, 0}))
                .as("the same table in another instance").containsExactly((1L << 32) + 1, 0, 1L << 32, 1L << 32);
        assertThat(store.counterTable("tab:b:").get(new long[]{1})).as("tables are apart").containsExactly(0);
        pass(ttl.dividedBy(2));
        store.counterTable("tab:a:").add(new long[]{1}, -1, ttl);
        pass(ttl.dividedBy(2).plus(ttl.dividedBy(3)));
        assertThat(t.get(new long[]{1, -7, 0})).as("1 renewed, the others expired").containsExactly((1L << 32) - 1, 0, 0);
        assertThat(t.get(new long[0])).isEmpty();
    }

    @Test
    void expireRenewsALiveKeyOnly() throws Exception {
        Duration ttl = shortTtl();
        store.increment("greylist:client:n", 4, ttl);
        pass(ttl.dividedBy(2));
        assertThat(store.expire("greylist:client:n", ttl.multipliedBy(3))).isTrue();
        pass(ttl);
        assertThat(store.get("greylist:client:n")).as("past the first lifetime, within the renewed one").contains("4");
        assertThat(store.expire("absent", ttl)).isFalse();
        assertThat(store.get("absent")).isEmpty();
        store.put("short", "v", ttl);
        pass(ttl.plus(ttl.dividedBy(2)));
        assertThat(store.expire("short", Duration.ofHours(1))).as("an expired key is not revived").isFalse();
        assertThat(store.get("short")).isEmpty();
    }

    @Test
    void listsAddRemoveFindAndVersion() {
        ListStore lists = store.lists();
        long v0 = lists.version();
        ListEntry ip = new ListEntry("cbl", ListEntry.Kind.IPS, "*", "192.0.2.0/24");
        ListEntry dom = new ListEntry("CBL", ListEntry.Kind.DOMAINS, "Example.ORG", "Spam.Example");
        ListEntry white = new ListEntry("cwl", ListEntry.Kind.ADDRESSES, null, "friend@example.net");
        assertThat(lists.add(ip)).isTrue();
        long v1 = lists.version();
        assertThat(v1).isNotEqualTo(v0);
        assertThat(lists.add(dom)).isTrue();
        assertThat(lists.add(white)).isTrue();
        assertThat(lists.add(new ListEntry("cbl", ListEntry.Kind.IPS, "", "192.0.2.0/24"))).as("already there").isFalse();
        long v2 = lists.version();
        assertThat(lists.entries("cbl")).containsExactlyInAnyOrder(ip, dom);
        assertThat(lists.entries("CBL")).containsExactlyInAnyOrder(ip, dom);
        assertThat(lists.entries("cwl")).containsExactly(white);
        assertThat(lists.entries("other")).isEmpty();
        ListEntry found = lists.entries("cbl").stream().filter(e -> e.kind() == ListEntry.Kind.DOMAINS).findFirst().orElseThrow();
        assertThat(found.toDomain()).isEqualTo("example.org");
        assertThat(found.value()).isEqualTo("spam.example");
        assertThat(lists.version()).as("a change that changed nothing").isEqualTo(v2);
        assertThat(lists.remove(ip)).isTrue();
        assertThat(lists.remove(ip)).isFalse();
        assertThat(lists.version()).isNotEqualTo(v2);
        assertThat(lists.entries("cbl")).containsExactly(dom);
    }

    @Test
    void statsAreSummedPerKey() throws Exception {
        long hour = 1_795_000_000L / 3600 * 3600;
        store.addStats(List.of(
                new StatsRow("doorman", "performance", "Greylist", "", "hour", hour, 3, 1.5, 0.25),
                new StatsRow("doorman", "response", "Greylist", "DEFER_IF_PERMIT", "hour", hour, 2, 0, 0),
                new StatsRow("doorman", "response", "*", "DUNNO", "hour", hour, 1, 0, 0)));
        store.addStats(List.of(
                new StatsRow("doorman", "performance", "Greylist", "", "hour", hour, 2, -0.5, 0.5),
                new StatsRow("doorman", "performance", "Greylist", "", "day", hour / 86400 * 86400, 1, 1, 1),
                new StatsRow("doorman", "response", "Greylist", "DEFER_IF_PERMIT", "hour", hour, 5, 0, 0)));
        flushStats(store);
        double[] perf = statsRow(store, "doorman", "performance", "Greylist", "", "hour", hour).orElseThrow();
        assertThat(perf[0]).isEqualTo(5);
        assertThat(perf[1]).isCloseTo(1.0, within(1e-9));
        assertThat(perf[2]).isCloseTo(0.75, within(1e-9));
        assertThat(statsRow(store, "doorman", "performance", "Greylist", "", "day", hour / 86400 * 86400).orElseThrow()[0]).isEqualTo(1);
        assertThat(statsRow(store, "doorman", "response", "Greylist", "DEFER_IF_PERMIT", "hour", hour).orElseThrow()[0]).isEqualTo(7);
        assertThat(statsRow(store, "doorman", "response", "*", "DUNNO", "hour", hour).orElseThrow()[0]).isEqualTo(1);
        assertThat(statsRow(store, "doorman", "response", "Greylist", "DUNNO", "hour", hour)).isEmpty();
    }

    private static long[] buckets(int... pairs) {
        long[] b = new long[org.decency.pipeline.LatencyBuckets.COUNT];
        for (int i = 0; i < pairs.length; i += 2) b[pairs[i]] = pairs[i + 1];
        return b;
    }

    private static StatsRow perf(String server, String module, String period, long start, long calls, long hits, long finals,
                                 long rejects, double score, double runtime, long[] buckets) {
        return new StatsRow(server, StatsRow.PERFORMANCE, module, "", period, start, calls, hits, finals, rejects, score, runtime, buckets);
    }

    @Test
    void statsAreReadBackSummedPerKeyAndOldPeriodsPruned() throws Exception {
        long hour = 1_795_000_000L / 3600 * 3600, before = hour - 3600, day = hour / 86400 * 86400;
        store.addStats(List.of(
                perf("doorman", "CBL", "hour", hour, 4, 1, 1, 1, -100, 0.004, buckets(2, 3, 20, 1)),
                perf("doorman", "CBL", "hour", before, 1, 0, 0, 0, 0, 0.001, buckets(0, 1)),
                perf("doorman", "CBL", "day", day, 5, 1, 1, 1, -100, 0.005, buckets(0, 1, 2, 3, 20, 1)),
                new StatsRow("doorman", StatsRow.RESPONSE, "CBL", "REJECT", "hour", hour, 1, 0, 0),
                new StatsRow("doorman", StatsRow.RESPONSE, "CBL", "DUNNO", "hour", before, 1, 0, 0),
                new StatsRow("doorman", StatsRow.FINAL_STATE, "", "reject", "hour", hour, 1, 0, 0),
                new StatsRow("doorman", StatsRow.FINAL_STATE, "", "pass", "hour", before, 1, 0, 0),
                new StatsRow("detective", StatsRow.FINAL_STATE, "", "tag/spam", "hour", before, 2, 0, 0)));
        store.addStats(List.of(
                perf("doorman", "CBL", "hour", hour, 2, 2, 0, 0, -3, 0.002, buckets(2, 1, 5, 1)),
                new StatsRow("doorman", StatsRow.FINAL_STATE, "", "reject", "hour", hour, 3, 0, 0)));
        flushStats(store);

        List<StatsRow> rows = store.readStats("doorman", "hour", hour, hour);
        assertThat(rows).extracting(r -> r.table() + " " + r.module() + " " + r.status() + " " + r.calls())
                .containsExactlyInAnyOrder("performance CBL  6", "response CBL REJECT 1", "final_state  reject 4");
        StatsRow cbl = rows.stream().filter(r -> r.table().equals(StatsRow.PERFORMANCE)).findFirst().orElseThrow();
        assertThat(cbl.hits()).isEqualTo(3);
        assertThat(cbl.finals()).isEqualTo(1);
        assertThat(cbl.rejects()).isEqualTo(1);
        assertThat(cbl.score()).isCloseTo(-103, within(1e-9));
        assertThat(cbl.runtimeSeconds()).isCloseTo(0.006, within(1e-9));
        assertThat(cbl.bucket(2)).isEqualTo(4);
        assertThat(cbl.bucket(5)).isEqualTo(1);
        assertThat(cbl.bucket(20)).isEqualTo(1);
        assertThat(cbl.bucket(0)).isZero();
        assertThat(cbl.start()).isEqualTo(hour);
        assertThat(cbl.period()).isEqualTo("hour");
        assertThat(cbl.server()).isEqualTo("doorman");

        assertThat(store.readStats("doorman", "hour", before, hour)).hasSize(6);
        assertThat(store.readStats(null, "hour", before, hour)).extracting(StatsRow::server).contains("doorman", "detective");
        assertThat(store.readStats("doorman", "day", day, day)).extracting(StatsRow::calls).containsExactly(5L);
        assertThat(store.readStats("doorman", "week", 0, Long.MAX_VALUE)).isEmpty();
        assertThat(store.readStats("nobody", "hour", 0, Long.MAX_VALUE)).isEmpty();

        assertThat(store.pruneStats("doorman", "hour", hour)).as("the hour before goes").isPositive();
        assertThat(store.readStats("doorman", "hour", 0, Long.MAX_VALUE)).hasSize(3).allSatisfy(r -> assertThat(r.start()).isEqualTo(hour));
        assertThat(store.readStats("detective", "hour", 0, Long.MAX_VALUE)).as("another server's rows stay").hasSize(1);
        assertThat(store.readStats("doorman", "day", 0, Long.MAX_VALUE)).as("another period's rows stay").hasSize(1);
        assertThat(store.pruneStats("doorman", "hour", hour)).as("nothing older left").isZero();
    }

    @Test
    void sweepingLeavesLiveEntriesAndExpiredOnesStayInvisible() throws Exception {
        store.put("greylist:old", "1", shortTtl());
        store.put("greylist:live", "1", Duration.ofHours(1));
        pass(shortTtl().plusMillis(300));
        assertThat(store.sweepExpired()).isGreaterThanOrEqualTo(0);
        assertThat(store.get("greylist:old")).isEmpty();
        assertThat(store.get("greylist:live")).contains("1");
        assertThat(store.sweepExpired()).as("nothing expired is left to sweep").isZero();
    }

    /** For stores that write statistics behind (the embedded one). */
    protected void flushStats(Store s) throws Exception {}

    @Test
    void noIncrementIsLostUnderManyThreadsAndTwoInstances() throws Exception {
        Store second = another();
        int threads = 8, each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
        try {
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads * 2; t++) {
                Store s = t % 2 == 0 ? store : second;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < each; i++) {
                        long v = s.increment("throttle:hammered", 1, Duration.ofMinutes(5));
                        assertThat(seen.add(v)).as("value %d returned twice", v).isTrue();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) f.get();
            long total = (long) threads * 2 * each;
            assertThat(store.get("throttle:hammered")).contains(Long.toString(total));
            assertThat(second.get("throttle:hammered")).contains(Long.toString(total));
            assertThat(seen).hasSize((int) total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void exactlyOnePutIfAbsentWinsPerKeyAcrossThreadsAndInstances() throws Exception {
        Store second = another();
        int racers = 12, keys = 40;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            for (int k = 0; k < keys; k++) {
                String key = "greylist:triplet:" + k;
                AtomicInteger winners = new AtomicInteger();
                Set<String> winnerValues = ConcurrentHashMap.newKeySet();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int r = 0; r < racers; r++) {
                    Store s = r % 2 == 0 ? store : second;
                    String value = "racer-" + r;
                    done.add(pool.submit(() -> {
                        go.await();
                        if (s.putIfAbsent(key, value, Duration.ofMinutes(5))) {
                            winners.incrementAndGet();
                            winnerValues.add(value);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : done) f.get();
                assertThat(winners.get()).as("winners for %s", key).isEqualTo(1);
                assertThat(store.get(key)).contains(winnerValues.iterator().next());
                assertThat(second.get(key)).contains(winnerValues.iterator().next());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSecondInstanceSeesTheFirstOnesState() throws Exception {
        Store second = another();
        store.put("doorman:queue:ABC123", "12.5|flags", Duration.ofMinutes(10));
        assertThat(second.get("doorman:queue:ABC123")).contains("12.5|flags");
        assertThat(second.delete("doorman:queue:ABC123")).isTrue();
        assertThat(store.get("doorman:queue:ABC123")).isEmpty();
        store.lists().add(new ListEntry("cwl", ListEntry.Kind.IPS, "*", "198.51.100.7"));
        assertThat(second.lists().entries("cwl")).extracting(ListEntry::value).containsExactly("198.51.100.7");
    }
}
