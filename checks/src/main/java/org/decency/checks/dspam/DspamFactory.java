package org.decency.checks.dspam;

import org.decency.config.ConfigNode;
import org.decency.core.Check;
import org.decency.core.CheckEnvironment;
import org.decency.core.CheckFactory;

/** Module {@code DSPAM}: asks a DSPAM server over DLMTP whether a mail is spam. See {@link DspamConfig}. */
public final class DspamFactory implements CheckFactory {

    @Override
    public String moduleName() {
        return "DSPAM";
    }

    @Override
    public Check create(String name, ConfigNode config, CheckEnvironment env) {
        DspamConfig settings = DspamConfig.from(config);
        config.finish();
        return new DspamCheck(name, settings);
    }
}
