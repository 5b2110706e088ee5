package org.decency.checks.crm114;

import org.decency.checks.engine.CommandSettings;
import org.decency.config.ConfigNode;

/**
 * The settings of a CRM114 module (the seeds' keys). Example with the defaults:
 *
 * <pre>{@code
 * - CRM114:
 *     default_user: /var/lib/decency/crm114/   # the folder with mailfilter.cf and the .css files; relative to this file
 *     # cmd_user: "..."      # or a command: the recipient on its input, the folder on its output
 *                            # (neither: <home of the recipient's local part>/.crm114/)
 *     cmd_check: /usr/share/crm114/mailreaver.crm --fileprefix=%user% -u %user% --report_only --dontstore
 *     cmd_learn_spam: /usr/share/crm114/mailfilter.crm --fileprefix=%user% -u %user% --learnspam --force
 *     cmd_unlearn_spam: /usr/share/crm114/mailfilter.crm --fileprefix=%user% -u %user% --learnspam --unlearn --force
 *     cmd_learn_ham: /usr/share/crm114/mailfilter.crm --fileprefix=%user% -u %user% --learnnonspam --force
 *     cmd_unlearn_ham: /usr/share/crm114/mailfilter.crm --fileprefix=%user% -u %user% --learnnonspam --unlearn --force
 *     weight_spam: -50
 *     weight_innocent: 10
 *     # weight_translate: {-10: -100, -3: -50, 0: 0, 1: 10, 5: 20}   # steps over CRM114's score
 *     timeout: 15s
 *     max_size: 0
 *     on_failure: skip
 *     disable_train: 0
 * }</pre>
 */
record Crm114Config(CommandSettings settings) {

    static final String DIR = "/usr/share/crm114/";
    private static final String FILTER = DIR + "mailfilter.crm --fileprefix=%user% -u %user% ";
    static final CommandSettings.Defaults DEFAULTS = new CommandSettings.Defaults(
            DIR + "mailreaver.crm --fileprefix=%user% -u %user% --report_only --dontstore",
            FILTER + "--learnspam --force",
            FILTER + "--learnspam --unlearn --force",
            FILTER + "--learnnonspam --force",
            FILTER + "--learnnonspam --unlearn --force");

    static Crm114Config from(ConfigNode n) {
        return new Crm114Config(CommandSettings.read(n, DEFAULTS, true, true));
    }
}
