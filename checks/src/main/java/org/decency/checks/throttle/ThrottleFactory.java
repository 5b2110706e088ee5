package org.decency.checks.throttle;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Makes {@link ThrottleCheck}s from {@code - Throttle: ...}. */
public final class ThrottleFactory implements CheckFactory {
    @Override
    public String moduleName() {
        return "Throttle";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        ThrottleConfig c = ThrottleConfig.from(config, env);
        config.finish();
        return new ThrottleCheck(name, c, env.store(), env.clock());
    }
}
