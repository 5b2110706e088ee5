package org.decency.checks.greylist;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.decency.checks.support.HumanDuration;
import org.decency.core.Check;
import org.decency.core.Evaluation;
import org.decency.core.IpAddress;
import org.decency.core.MailAddress;
import org.decency.core.Outcome;
import org.decency.core.Stage;
import org.decency.core.Transaction;
import org.decency.store.Store;

/**
 * Greylisting: the first attempt of an unknown (client net, sender, recipient) triplet
 * is deferred; a retry after {@code delay} (and within {@code retry_window}) passes and
 * the triplet is known for {@code lifetime}. Real mail servers retry, most spam engines
 * do not. Clients, sender addresses and sender domains that passed often enough are
 * whitelisted automatically. Bounces and whitelisted (CWL) mail are never greylisted.
 *
 * <p>Store keys: {@code greylist:t:<net>:<from>:<to>} = {@code <first-seen epoch>,<passed 0|1>};
 * counters {@code greylist:client:<net>}, {@code greylist:from:<from>:<net>:<to-domain>},
 * {@code greylist:domain:<from-domain>:<net>:<to-domain>}. {@code <net>} is {@code IGNOREVALID}
 * for validated senders under {@code ignore_ip_if_validated}, except in the client counter,
 * which always counts the real client net. Passes and whitelist hits renew the counters.
 */
public final class GreylistCheck implements Check {
    static final String IGNORE_VALID = "IGNOREVALID";

    private final String name;
    private final GreylistConfig config;
    private final Store store;
    private final Clock clock;

    public GreylistCheck(String name, GreylistConfig config, Store store, Clock clock) {
        this.name = name;
        this.config = config;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Stage> stages() {
        return Set.of(Stage.RCPT);
    }

    @Override
    public Outcome evaluate(Transaction tx, Evaluation run) {
        if (run.hasFlag("whitelisted")) return Outcome.nothing();
        MailAddress from = tx.sender();
        MailAddress to = tx.recipient();
        IpAddress ip = tx.connection().ip();
        if (from.isNull() || to.isNull() || ip == null) return Outcome.nothing();
        boolean validated = config.ignoreIpIfValidated() && (run.hasFlag("spf_pass") || run.hasFlag("assoc_ok"));
        String clientNet = config.net().of(ip);
        String net = validated ? IGNORE_VALID : clientNet;
        String sender = from.normalized();
        String senderDomainKey = "greylist:domain:" + from.domain() + ":" + net + ":" + to.domain();
        String senderKey = "greylist:from:" + sender + ":" + net + ":" + to.domain();
        // The client whitelist is about the real client net, also when the triplet ignores it:
        // otherwise every validated sender would share (and soon pass) the IGNOREVALID counter.
        String clientKey = "greylist:client:" + clientNet;

        String key = "greylist:t:" + net + ":" + sender + ":" + to.normalized();
        // One round trip for every key this request may read: on Redis or PostgreSQL each
        // lookup is a network wait.
        List<String> wanted = new ArrayList<>(4);
        if (config.autoWhitelistClients() > 0) wanted.add(clientKey);
        if (config.senderDomainThreshold() >= 0) wanted.add(senderDomainKey);
        if (config.recipientDomainThreshold() >= 0) wanted.add(senderKey);
        wanted.add(key);
        Map<String, String> seen = store.getAll(wanted);

        if (config.autoWhitelistClients() > 0 && whitelisted(seen, clientKey, config.autoWhitelistClients())) {
            return pass("client " + clientNet + " auto-whitelisted");
        }
        if (config.senderDomainThreshold() >= 0 && whitelisted(seen, senderDomainKey, Math.max(1, config.senderDomainThreshold()))) {
            return pass("sender domain " + from.domain() + " auto-whitelisted for " + to.domain());
        }
        if (config.recipientDomainThreshold() >= 0 && whitelisted(seen, senderKey, Math.max(1, config.recipientDomainThreshold()))) {
            return pass("sender " + sender + " auto-whitelisted for " + to.domain());
        }

        long now = clock.millis() / 1000;
        Optional<String> known = Optional.ofNullable(seen.get(key));
        if (known.isEmpty()) {
            store.putIfAbsent(key, now + ",0", config.retryWindow());
            return defer(config.delay(), "new triplet " + net + " " + sender + " -> " + to.normalized());
        }
        String value = known.get();
        int comma = value.indexOf(',');
        long first = parse(comma < 0 ? value : value.substring(0, comma), now);
        boolean passed = comma >= 0 && value.endsWith(",1");
        if (passed) {
            store.put(key, first + ",1", config.lifetime());
            return pass("known triplet");
        }
        long waited = now - first;
        if (waited < config.delay().toSeconds()) {
            return defer(config.delay().minusSeconds(waited), "retry too early (after " + waited + "s)");
        }
        if (waited > config.retryWindow().toSeconds()) {
            store.put(key, now + ",0", config.retryWindow());
            return defer(config.delay(), "retry after the window (" + waited + "s); started over");
        }
        store.put(key, first + ",1", config.lifetime());
        count(clientKey);
        count(senderKey);
        count(senderDomainKey);
        return pass("passed after " + waited + "s");
    }

    /** True when the counter reached {@code threshold}; a hit is traffic, so it renews the counter's lifetime. */
    private boolean whitelisted(Map<String, String> seen, String key, long threshold) {
        String v = seen.get(key);
        long n = v == null ? 0 : parse(v, 0);
        if (n < threshold) return false;
        store.expire(key, config.lifetime());
        return true;
    }

    /** Counts a pass; the store keeps a counter's first expiry, so the lifetime is renewed here. */
    private void count(String key) {
        store.increment(key, 1, config.lifetime());
        store.expire(key, config.lifetime());
    }

    private static long parse(String s, long fallback) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private Outcome pass(String detail) {
        return Outcome.score(name, 0, detail);
    }

    private Outcome defer(Duration left, String detail) {
        return Outcome.finalWord(name, config.answer(HumanDuration.format(left)), detail);
    }
}
