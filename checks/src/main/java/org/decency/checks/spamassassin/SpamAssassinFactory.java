package org.decency.checks.spamassassin;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code SpamAssassin}: each mail checked by spamd. See {@link SpamAssassinConfig}. */
public final class SpamAssassinFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "SpamAssassin";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        SpamAssassinConfig settings = SpamAssassinConfig.from(config);
        config.finish();
        return new SpamAssassinCheck(name, settings);
    }
}
