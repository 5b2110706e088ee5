package org.decency.checks.honeycollector;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code HoneyCollector}: keeps and drops the mails caught by honeypots. See {@link HoneyCollectorConfig}. */
public final class HoneyCollectorFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "HoneyCollector";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        HoneyCollectorConfig settings = HoneyCollectorConfig.from(config);
        config.finish();
        return new HoneyCollectorCheck(name, settings, env.clock());
    }
}
