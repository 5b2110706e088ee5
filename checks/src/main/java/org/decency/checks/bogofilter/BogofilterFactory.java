package org.decency.checks.bogofilter;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code Bogofilter}: each mail classified by bogofilter's command line. See {@link BogofilterConfig}. */
public final class BogofilterFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "Bogofilter";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        BogofilterConfig settings = BogofilterConfig.from(config);
        config.finish();
        return new BogofilterCheck(name, settings);
    }
}
