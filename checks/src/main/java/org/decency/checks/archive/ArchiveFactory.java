package org.decency.checks.archive;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code Archive}: a copy of each mail on disk. See {@link ArchiveConfig}. */
public final class ArchiveFactory implements CheckFactory {
    @Override
    public String moduleName() {
        return "Archive";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        ArchiveConfig settings = ArchiveConfig.from(config, env);
        config.finish();
        return new ArchiveCheck(name, settings, env.clock());
    }
}
