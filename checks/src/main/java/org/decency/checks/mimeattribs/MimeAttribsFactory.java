package org.decency.checks.mimeattribs;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code MimeAttribs}: scores by MIME facts, changes header fields. See {@link MimeAttribsConfig}. */
public final class MimeAttribsFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return MimeAttribsCheck.USUAL_NAME;
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        MimeAttribsConfig settings = MimeAttribsConfig.from(config);
        config.finish();
        return new MimeAttribsCheck(name, settings);
    }
}
