package org.decency.checks.lists;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/**
 * Module {@code CWL}, the Custom White List: a hit answers OK and flags the mail {@code whitelisted}.
 * See {@link CustomListConfig} for the settings.
 */
public final class CwlFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "CWL";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        CustomListConfig settings = CustomListConfig.from(config, ListColor.WHITE);
        config.finish();
        return new CustomListCheck(name, settings, env);
    }
}
