package org.decency.checks.clamav;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code ClamAV}: each mail scanned by clamd. See {@link ClamAvConfig}. */
public final class ClamAvFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "ClamAV";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        ClamAvConfig settings = ClamAvConfig.from(config);
        config.finish();
        return new ClamAvCheck(name, settings);
    }
}
