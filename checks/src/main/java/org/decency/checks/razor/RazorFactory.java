package org.decency.checks.razor;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code Razor}: each mail's signature looked up in the Razor network by razor-check. See {@link RazorConfig}. */
public final class RazorFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "Razor";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        RazorConfig settings = RazorConfig.from(config);
        config.finish();
        return new RazorCheck(name, settings);
    }
}
