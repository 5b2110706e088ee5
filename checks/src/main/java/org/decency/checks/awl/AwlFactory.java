package org.decency.checks.awl;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code AWL}: trusts client/sender pairs that sent good mail before. See {@link AwlConfig}. */
public final class AwlFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "AWL";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        AwlConfig settings = AwlConfig.from(config);
        config.finish();
        return new AwlCheck(name, settings, env.store(), env.clock());
    }
}
