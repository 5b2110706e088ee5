package org.decency.checks.bogofilter;

import java.nio.file.Files;
import java.nio.file.Path;
import org.decency.checks.engine.CommandSettings;
import org.decency.config.ConfigException;
import org.decency.config.ConfigNode;

/**
 * The settings of a Bogofilter module (the seeds' keys). Example with the defaults:
 *
 * <pre>{@code
 * - Bogofilter:
 *     default_user: /var/lib/decency/bogofilter   # the word list's folder (bogofilter -d); relative to this file
 *     # cmd_user: "..."         # or a command: the recipient on its input, the user on its output
 *     cmd_check: /usr/bin/bogofilter -d %user% -v
 *     cmd_learn_spam: /usr/bin/bogofilter -d %user% -s
 *     cmd_unlearn_spam: /usr/bin/bogofilter -d %user% -S
 *     cmd_learn_ham: /usr/bin/bogofilter -d %user% -n
 *     cmd_unlearn_ham: /usr/bin/bogofilter -d %user% -N
 *     weight_spam: -50
 *     weight_innocent: 10
 *     apply_spamicity: 0        # 1: weight_spam times the spamicity, weight_innocent times (1 - spamicity)
 *     # weight_translate: {0.2: 10, 0.8: 0, 1: -50}   # or steps over the spamicity (0 to 1)
 *     timeout: 15s
 *     max_size: 0
 *     on_failure: skip
 *     disable_train: 0
 * }</pre>
 */
record BogofilterConfig(CommandSettings settings, boolean applySpamicity) {

    static final String BOGOFILTER = "/usr/bin/bogofilter";
    static final CommandSettings.Defaults DEFAULTS = new CommandSettings.Defaults(
            BOGOFILTER + " -d %user% -v",
            BOGOFILTER + " -d %user% -s",
            BOGOFILTER + " -d %user% -S",
            BOGOFILTER + " -d %user% -n",
            BOGOFILTER + " -d %user% -N");

    static BogofilterConfig from(ConfigNode n) {
        CommandSettings s = CommandSettings.read(n, DEFAULTS, true, true);
        boolean apply = n.bool("apply_spamicity", false);
        if (apply && s.weights().translate() != null) {
            throw n.required("apply_spamicity").error("either apply_spamicity or weight_translate: both turn the spamicity into the score");
        }
        if (s.check().usesUser() && s.user().defaultUser().isEmpty() && s.user().cmdUser().isEmpty()) {
            throw ConfigException.at(n.file(), n.line(), n.path().isEmpty() ? "default_user" : n.path() + ".default_user",
                    "is required: %user% in cmd_check needs default_user (the folder of bogofilter's word list, e.g. "
                    + "/var/lib/decency/bogofilter) or cmd_user (a recipient address is no folder)");
        }
        if (!n.has("cmd_check") && !s.user().defaultUser().isEmpty() && Files.isRegularFile(Path.of(s.user().defaultUser()))) {
            throw n.required("default_user").error("is a file; bogofilter gets the user as the folder of its word list (-d %user%). "
                    + "For a bogofilter config file, as the seeds' /etc/bogofilter.cf, set the cmd_* commands with -c %user%");
        }
        return new BogofilterConfig(s, apply);
    }
}
