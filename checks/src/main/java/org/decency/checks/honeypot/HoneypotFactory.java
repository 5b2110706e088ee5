package org.decency.checks.honeypot;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code Honeypot}: trap recipients that mark the sending client. See {@link HoneypotConfig}. */
public final class HoneypotFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "Honeypot";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        HoneypotConfig settings = HoneypotConfig.from(config);
        config.finish();
        return new HoneypotCheck(name, settings, env);
    }
}
