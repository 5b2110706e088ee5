package org.decency.checks.throttle;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.decency.config.ConfigNode;
import org.decency.core.CheckEnvironment;
import org.decency.core.FinalWord;
import org.decency.core.IpAddress;
import org.decency.core.MailAddress;

/**
 * The settings of a Throttle module. Example:
 *
 * <pre>{@code
 * - Throttle:
 *     limits:                         # per key: "maximum/interval" (add " recipients" to count recipients)
 *       sender_address: ["10/1m", "100/1h"]
 *       client_address: ["500/1h recipients"]
 *     default_limits:                 # the seeds' form of the same
 *       sasl_username: [{maximum: 1000, interval: 86400}]
 *     per_value:                      # exceptions for single values; they replace that key's limits
 *       sender_address: {newsletter@example.org: ["10000/1h"]}
 *     accounts:                       # several sender domains/addresses counted as one
 *       acme: [acme.example, acme-mail.example, boss@partner.example]
 *     # limits: {account: ["500/1h"]} then limits each account as a whole
 *     require_sasl_username: 0        # 1: only throttle authenticated senders
 *     answer: DEFER                   # or REJECT, or a code such as 450 or 550
 *     default_reject_message: "Sorry, Limit reached (%maximum% mails in %interval% seconds)"
 *     reject_messages: {3600: {message: "Hourly limit reached", code: 451}}
 * }</pre>
 *
 * Keys: client_address, sender_domain, sasl_username, sender_address, recipient_domain,
 * recipient_address, account. Placeholders: %maximum% %interval% %interval_minutes%
 * %interval_hours% %interval_days%. The seeds' {@code exception_databases} (per-value rows
 * and accounts in SQL tables) are replaced by {@code per_value} and {@code accounts}; a
 * config that names them still loads, with a warning. Senders outside every account are
 * not limited by account limits (the seeds lumped them into one shared pseudo-account).
 * A key takes at most one message limit and one recipient limit per interval. Values are
 * matched case-insensitively, client addresses in any notation of the same address.
 */
public record ThrottleConfig(Map<ThrottleKey, List<Limit>> limits, Map<ThrottleKey, Map<String, List<Limit>>> perValue,
                             Map<String, String> accounts, boolean requireSaslUsername, String answer,
                             String defaultMessage, Map<Long, Reply> replies) {

    /** A reply for one interval: its own message and code. */
    public record Reply(String message, String code) {}

    public static ThrottleConfig from(ConfigNode n, CheckEnvironment env) {
        Map<ThrottleKey, List<Limit>> limits = new EnumMap<>(ThrottleKey.class);
        List<ConfigNode> accountLimits = new ArrayList<>();
        for (String section : List.of("limits", "default_limits")) {
            n.child(section).ifPresent(m -> m.mapping().forEach((k, list) -> {
                ThrottleKey key = key(k, list);
                if (key == ThrottleKey.ACCOUNT) accountLimits.add(list);
                readLimits(list, limits.computeIfAbsent(key, x -> new ArrayList<>()));
            }));
        }
        Map<ThrottleKey, Map<String, List<Limit>>> perValue = new EnumMap<>(ThrottleKey.class);
        n.child("per_value").ifPresent(m -> m.mapping().forEach((k, values) -> {
            ThrottleKey key = key(k, values);
            Map<String, List<Limit>> byValue = new HashMap<>();
            values.mapping().forEach((v, list) -> byValue.put(perValueKey(key, v, list), readLimits(list, new ArrayList<>())));
            perValue.put(key, byValue);
        }));
        Map<String, String> accounts = new HashMap<>();
        n.child("accounts").ifPresent(m -> m.mapping().forEach((account, members) -> {
            for (String member : members.asStrings()) {
                String who = member.strip().toLowerCase(Locale.ROOT);
                if (who.startsWith("@")) who = who.substring(1);
                if (who.isEmpty()) throw members.error("expected sender domains or addresses");
                String before = accounts.put(who, account);
                if (before != null && !before.equals(account)) {
                    throw members.error(who + " is already a member of account " + before);
                }
            }
        }));
        if (!accountLimits.isEmpty() && accounts.isEmpty()) {
            env.warn(accountLimits.getFirst(), "account limits are set but no accounts: are defined, so they limit nobody");
        }
        n.child("exception_databases").ifPresent(e -> {
            if (!e.asStrings().isEmpty()) {
                env.warn(e, "per-value limits from database tables are not read; write them under per_value: and accounts: (ignored)");
            }
        });
        n.child("use_stats_cache").ifPresent(u -> {
            if (u.asBool()) env.warn(u, "the log parser's counters are gone; the Throttle counts by itself (ignored)");
        });
        if (limits.isEmpty() && perValue.isEmpty()) throw n.error("no limits: give limits: (or default_limits:) or per_value:");
        boolean sasl = n.bool("require_sasl_username", false);
        String answer = n.string("answer", "DEFER");
        if (!refuses(answer)) throw n.required("answer").error("expected DEFER, REJECT or a 4xx/5xx code, got \"" + answer + "\"");
        String message = "Sorry, Limit reached (%maximum% mails in %interval% seconds)";
        String code = null;
        var dm = n.child("default_reject_message");
        if (dm.isPresent()) {
            if (dm.get().isMapping()) {
                Reply r = reply(dm.get());
                message = r.message();
                code = r.code();
            } else {
                message = dm.get().text();
            }
        }
        Map<Long, Reply> replies = new HashMap<>();
        n.child("reject_messages").ifPresent(m -> m.mapping().forEach((interval, r) -> {
            long seconds = org.decency.config.Durations.parse(interval)
                    .orElseThrow(() -> r.error("expected an interval such as 3600 or 1h as the key")).toSeconds();
            replies.put(seconds, reply(r));
        }));
        return new ThrottleConfig(limits, perValue, accounts, sasl, code != null ? code : answer, message, replies);
    }

    private static ThrottleKey key(String k, ConfigNode where) {
        ThrottleKey key = ThrottleKey.parse(k);
        if (key == null) {
            throw where.error("unknown throttle key \"" + k + "\"; expected one of " + ThrottleKey.names());
        }
        return key;
    }

    /** True for an answer that refuses the mail: a limit must never answer OK or DUNNO. */
    private static boolean refuses(String answer) {
        try {
            return FinalWord.parse(answer, "x").action().refuses();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Adds the limits written at {@code list} to {@code out}. Limits of one kind and interval
     * would share one counter (and count every mail twice), so a second one is refused.
     */
    private static List<Limit> readLimits(ConfigNode list, List<Limit> out) {
        for (ConfigNode l : list.isScalar() || list.isMapping() ? List.of(list) : list.asList()) {
            Limit limit = Limit.read(l);
            for (Limit other : out) {
                if (other.interval().equals(limit.interval()) && other.countRecipients() == limit.countRecipients()) {
                    throw l.error("a second " + (limit.countRecipients() ? "recipient" : "message") + " limit per "
                            + limit.interval().toSeconds() + "s for this key; keep one");
                }
            }
            out.add(limit);
        }
        return out;
    }

    /** A per_value value as {@link ThrottleKey#valueOf} gives it: lower-cased, client addresses in canonical form. */
    private static String perValueKey(ThrottleKey key, String value, ConfigNode where) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (key != ThrottleKey.CLIENT_ADDRESS) return v;
        return IpAddress.parse(v).map(IpAddress::toString)
                .orElseThrow(() -> where.error("expected a single IP address, got \"" + value + "\""));
    }

    private static Reply reply(ConfigNode r) {
        String message = r.string("message", "Sorry, Limit reached (%maximum% mails in %interval% seconds)");
        String code = r.string("code", null);
        if (code != null && !code.matches("[45]\\d\\d")) throw r.required("code").error("expected a 4xx or 5xx code");
        r.finish();
        return new Reply(message, code);
    }

    /** The limits for one value: its own when listed under per_value, else the key's. */
    List<Limit> limitsFor(ThrottleKey key, String value) {
        Map<String, List<Limit>> own = perValue.get(key);
        if (own != null) {
            List<Limit> l = own.get(value);
            if (l != null) return l;
        }
        return limits.getOrDefault(key, List.of());
    }

    /** The account the sender belongs to (by address first, then by domain and its parents); empty if none. */
    String accountOf(MailAddress sender) {
        if (accounts.isEmpty() || sender.isNull()) return "";
        String byAddress = accounts.get(sender.normalized());
        if (byAddress != null) return byAddress;
        for (String d = sender.domain(); !d.isEmpty(); ) {
            String a = accounts.get(d);
            if (a != null) return a;
            int dot = d.indexOf('.');
            if (dot < 0) break;
            d = d.substring(dot + 1);
        }
        return "";
    }

    FinalWord refusal(Limit limit) {
        Reply r = replies.get(limit.interval().toSeconds());
        String text = r != null ? r.message() : defaultMessage;
        String code = r != null && r.code() != null ? r.code() : answer;
        long s = limit.interval().toSeconds();
        text = text.replace("%maximum%", Long.toString(limit.maximum()))
                .replace("%interval%", Long.toString(s))
                .replace("%interval_minutes%", Long.toString((s + 59) / 60))
                .replace("%interval_hours%", Long.toString((s + 3599) / 3600))
                .replace("%interval_days%", Long.toString((s + 86399) / 86400));
        return FinalWord.parse(code, text);
    }
}
