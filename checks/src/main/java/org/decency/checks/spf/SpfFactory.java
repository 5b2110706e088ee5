package org.decency.checks.spf;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code SPF}: scores by the sender domain's SPF record. See {@link SpfConfig}. */
public final class SpfFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "SPF";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        SpfConfig settings = SpfConfig.from(config, env);
        config.finish();
        String receiver = env.ownHostnames().isEmpty() ? "unknown" : env.ownHostnames().getFirst();
        return new SpfCheck(name, settings, new SpfEvaluator(env.dns(), settings.budget(), receiver, env.clock()));
    }
}
