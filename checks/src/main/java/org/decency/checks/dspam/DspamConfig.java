package org.decency.checks.dspam;

import java.time.Duration;
import org.decency.pipeline.OnFailure;
import org.decency.checks.engine.EngineUser;
import org.decency.checks.engine.SpamWeights;
import org.decency.checks.support.MessageSizeLimit;
import org.decency.config.ConfigNode;
import org.decency.pipeline.ModuleOptions;

/**
 * The settings of a DSPAM module (the seeds' keys). Example with the defaults:
 *
 * <pre>{@code
 * - DSPAM:
 *     host: 127.0.0.1            # dspam.conf's ServerHost / ServerPort ...
 *     port: 1024
 *     # socket: /var/run/dspam/dspam.sock   # ... or its ServerDomainSocketPath
 *     client_ident: secret@Relay1  # dspam.conf: ServerPass.Relay1 "secret"
 *     default_user: ""           # DSPAM's user for every mail; else cmd_user's answer; else the recipient
 *     cmd_user: ""
 *     weight_innocent: 10
 *     weight_spam: -50
 *     max_size: 0                # larger mails are not looked at (0: no limit)
 *     timeout: 15s               # the LMTP exchange gets this less 1s (at least 1s)
 *     on_failure: skip           # or tempfail: DSPAM down or broken defers the mail
 * }</pre>
 *
 * @param lmtpTimeout the time one exchange with DSPAM may take
 */
record DspamConfig(DspamEndpoint endpoint, ClientIdent ident, EngineUser user, SpamWeights weights, MessageSizeLimit maxSize,
                   Duration lmtpTimeout, OnFailure onFailure) {

    static DspamConfig from(ConfigNode n) {
        if (n.has("weight_translate")) {
            throw n.required("weight_translate").error("DSPAM answers with a class, not a score to translate: "
                    + "use weight_innocent and weight_spam");
        }
        DspamEndpoint endpoint = DspamEndpoint.read(n);
        ClientIdent ident = ClientIdent.read(n);
        EngineUser user = EngineUser.read(n);
        SpamWeights weights = SpamWeights.read(n);
        MessageSizeLimit maxSize = MessageSizeLimit.read(n);
        Duration timeout = n.duration("timeout", ModuleOptions.DEFAULT_TIMEOUT);
        OnFailure onFailure = OnFailure.read(n, OnFailure.SKIP);
        return new DspamConfig(endpoint, ident, user, weights, maxSize, lmtpTimeout(timeout), onFailure);
    }

    /** The seeds' LMTP timeout: the module's timeout less a second, so DSPAM's failure is ours to report; at least 1s. */
    static Duration lmtpTimeout(Duration moduleTimeout) {
        Duration t = moduleTimeout.minusSeconds(1);
        return t.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : t;
    }
}
