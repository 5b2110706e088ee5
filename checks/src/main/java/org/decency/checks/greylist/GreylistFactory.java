package org.decency.checks.greylist;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Makes {@link GreylistCheck}s from {@code - Greylist: ...}. */
public final class GreylistFactory implements CheckFactory {
    @Override
    public String moduleName() {
        return "Greylist";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        GreylistConfig c = GreylistConfig.from(config);
        config.finish();
        return new GreylistCheck(name, c, env.store(), env.clock());
    }
}
