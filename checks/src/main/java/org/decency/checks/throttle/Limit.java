package org.decency.checks.throttle;

import java.time.Duration;
import org.decency.config.ConfigNode;
import org.decency.config.Durations;

/**
 * At most {@code maximum} messages (or recipients) per {@code interval}; a negative
 * maximum means no limit. Written {@code "10/1m"} or {@code {maximum: 10, interval: 60}}
 * (the seeds' form; add {@code count: recipients} to count recipients).
 */
public record Limit(long maximum, Duration interval, boolean countRecipients) {

    static Limit read(ConfigNode n) {
        if (n.isScalar()) {
            String t = n.text().strip();
            String[] p = t.split("/", 2);
            try {
                if (p.length != 2) throw new NumberFormatException();
                long max = Long.parseLong(p[0].strip());
                String per = p[1].strip();
                boolean rcpts = per.endsWith(" recipients");
                if (rcpts) per = per.substring(0, per.length() - " recipients".length()).strip();
                Duration d = Durations.parse(per).orElseThrow(NumberFormatException::new);
                return check(n, new Limit(max, d, rcpts));
            } catch (NumberFormatException e) {
                throw n.error("expected a limit like \"10/1m\", \"100/1h\" or \"50/1h recipients\", got \"" + t + "\"");
            }
        }
        long max = (long) n.required("maximum").asNumber();
        Duration interval = n.required("interval").asDuration();
        String count = n.string("count", "messages");
        if (!count.equals("messages") && !count.equals("recipients")) throw n.required("count").error("expected messages or recipients");
        n.finish();
        return check(n, new Limit(max, interval, count.equals("recipients")));
    }

    private static Limit check(ConfigNode n, Limit l) {
        if (l.interval().toSeconds() < 1) throw n.error("the interval must be at least 1 second");
        return l;
    }

    boolean unlimited() {
        return maximum < 0;
    }
}
