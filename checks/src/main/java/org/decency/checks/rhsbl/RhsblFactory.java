package org.decency.checks.rhsbl;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code RHSBL}: sender domain, HELO name and client host name against domain block lists. See {@link RhsblConfig}. */
public final class RhsblFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "RHSBL";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        RhsblConfig settings = RhsblConfig.from(config);
        config.finish();
        return new RhsblCheck(name, settings, env.dns(), env.clock());
    }
}
