package org.decency.checks.dkim;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code DKIMSign}: signs outgoing mail with DKIM. See {@link DkimSignConfig}. */
public final class DkimSignFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "DKIMSign";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        DkimSignConfig settings = DkimSignConfig.from(config, env);
        config.finish();
        return new DkimSignCheck(name, settings, env.clock());
    }
}
