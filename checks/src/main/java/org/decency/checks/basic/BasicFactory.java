package org.decency.checks.basic;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code Basic}: HELO, sender and recipient syntax and plausibility scores, and Postfix's DNS rules. See {@link BasicConfig}. */
public final class BasicFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "Basic";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        BasicConfig settings = BasicConfig.from(config);
        config.finish();
        return new BasicCheck(name, settings, env.ownHostnames(), env.ownAddresses(), env.dns());
    }
}
