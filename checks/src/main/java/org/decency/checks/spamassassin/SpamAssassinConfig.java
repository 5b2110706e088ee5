package org.decency.checks.spamassassin;

import java.time.Duration;
import org.decency.pipeline.OnFailure;
import org.decency.checks.engine.EngineUser;
import org.decency.checks.engine.SpamWeights;
import org.decency.checks.support.ByteSizes;
import org.decency.checks.support.MessageSizeLimit;
import org.decency.config.ConfigNode;
import org.decency.pipeline.ModuleOptions;

/**
 * The settings of a SpamAssassin module (the seeds' keys). Example with the defaults:
 *
 * <pre>{@code
 * - SpamAssassin:
 *     host: 127.0.0.1        # spamd's --listen address (the seeds' localhost); or instead:
 *     port: 783
 *     # socket: /run/spamd.sock   # spamd's unix socket (--socketpath), instead of host and port
 *     timeout: 15s           # the module option: connecting, sending and the answer together
 *     max_size: 500k         # larger mails are not checked, as spamc's -s (0: no limit)
 *     on_failure: skip       # spamd down, late or talking nonsense: skip (0) or tempfail (defer the mail)
 *     report: 0              # 1: ask REPORT (the rules with their points) instead of SYMBOLS
 *     weight_innocent: 10    # SpamAssassin says ham
 *     weight_spam: -50       # SpamAssassin says spam
 *     # weight_translate: {0: 10, 2: 0, 5: -20, 10: -60, 20: -100}  # instead: SpamAssassin's score by steps:
 *     #   up to 0: 10, below 2: 0, 2 to 5: -20, 5 to 10: -60, from 10: -100 (a key's value is for the scores below it)
 *     # default_user: ""     # spamd's User header (whose preferences and Bayes, where spamd keeps them
 *     # cmd_user: ""         #   per user); else cmd_user's answer, else the recipient address
 * }</pre>
 */
record SpamAssassinConfig(SpamdAddress spamd, Duration timeout, MessageSizeLimit maxSize, OnFailure onFailure,
                          boolean report, SpamWeights weights, EngineUser user) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 783;
    /** spamc's default for {@code -s}: 500 KiB. */
    static final long DEFAULT_MAX_SIZE = 500 * 1024;

    static SpamAssassinConfig from(ConfigNode n) {
        SpamdAddress spamd = address(n);
        Duration timeout = n.duration("timeout", ModuleOptions.DEFAULT_TIMEOUT);
        MessageSizeLimit maxSize = new MessageSizeLimit(ByteSizes.read(n, "max_size", DEFAULT_MAX_SIZE));
        OnFailure onFailure = OnFailure.read(n, OnFailure.SKIP);
        boolean report = n.bool("report", false);
        SpamWeights weights = SpamWeights.read(n);
        EngineUser user = EngineUser.read(n);
        return new SpamAssassinConfig(spamd, timeout, maxSize, onFailure, report, weights, user);
    }

    private static SpamdAddress address(ConfigNode n) {
        ConfigNode socket = n.child("socket").orElse(null);
        ConfigNode host = n.child("host").orElse(null);
        ConfigNode port = n.child("port").orElse(null);
        if (socket != null) {
            ConfigNode other = port != null ? port : host;
            if (other != null) throw other.error("either socket (spamd's unix socket) or host and port (its TCP listener), not both");
            String p = socket.text().strip();
            if (p.isEmpty()) throw socket.error("expected the path of spamd's unix socket (its --socketpath), e.g. /run/spamd.sock");
            return SpamdAddress.unix(n.dir().resolve(p).normalize());
        }
        int p = port == null ? DEFAULT_PORT : port.asInt();
        if (p < 1 || p > 65535) throw port.error("expected a port from 1 to 65535, got " + p);
        String h = host == null ? DEFAULT_HOST : host.text().strip();
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.isEmpty()) throw host.error("expected spamd's host name or address");
        return SpamdAddress.tcp(h, p);
    }
}
