package org.decency.checks.lists;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/**
 * Module {@code CBL}, the Custom Black List: a hit answers REJECT.
 * See {@link CustomListConfig} for the settings.
 */
public final class CblFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "CBL";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        CustomListConfig settings = CustomListConfig.from(config, ListColor.BLACK);
        config.finish();
        return new CustomListCheck(name, settings, env);
    }
}
