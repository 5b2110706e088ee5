package org.decency.checks.razor;

import org.decency.checks.engine.CommandSettings;
import org.decency.config.ConfigNode;

/**
 * The settings of a Razor module (the seeds' keys). Example with the defaults:
 *
 * <pre>{@code
 * - Razor:
 *     cmd_check: /usr/bin/razor-check %file%   # e.g. add -home=/var/lib/decency/razor
 *     weight_spam: -50
 *     weight_innocent: 10
 *     timeout: 15s
 *     max_size: 0
 *     on_failure: skip
 * }</pre>
 *
 * Razor does not learn here, as in the original: {@code cmd_learn_*} are refused
 * (razor-report would report mails to the Razor network, a decision for a human).
 */
record RazorConfig(CommandSettings settings) {

    static final CommandSettings.Defaults DEFAULTS = new CommandSettings.Defaults("/usr/bin/razor-check %file%", null, null, null, null);

    static RazorConfig from(ConfigNode n) {
        for (String key : new String[] {"cmd_learn_spam", "cmd_unlearn_spam", "cmd_learn_ham", "cmd_unlearn_ham", "disable_train"}) {
            n.child(key).ifPresent(k -> {
                throw k.error("Razor does not learn (razor-report would report the mail to the Razor network); remove " + key);
            });
        }
        CommandSettings s = CommandSettings.read(n, DEFAULTS, false, false);
        if (s.weights().translate() != null) {
            throw n.required("weight_translate").error("razor-check gives no score to translate, only spam (exit 0) or not (exit 1)");
        }
        return new RazorConfig(s);
    }
}
