package org.decency.checks.plausibility;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/**
 * Module {@code Plausibility}: policyd-weight's checks as scores. See {@link PlausibilityConfig}.
 * The same check is also offered as {@code PolicydWeight} ({@link PolicydWeightFactory}).
 */
public class PlausibilityFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "Plausibility";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        PlausibilityConfig settings = PlausibilityConfig.from(config);
        config.finish();
        return new PlausibilityCheck(name, moduleName(), settings, env.dns());
    }
}
