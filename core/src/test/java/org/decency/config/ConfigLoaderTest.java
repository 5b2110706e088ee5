package org.decency.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading config files: includes, merging and the errors for bad files. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, yaml);
    }

    @Test
    void aSingleFileLoadsAsAMapping() throws IOException {
        ConfigNode root = ConfigLoader.load(write("main.yml", "a: 1\nb: [x, y]\n"));

        assertThat(root.integer("a", 0)).isEqualTo(1);
        assertThat(root.strings("b")).containsExactly("x", "y");
        root.finish();
    }

    @Test
    void anEmptyFileIsAnEmptyMapping() throws IOException {
        ConfigNode root = ConfigLoader.load(write("main.yml", "# nothing yet\n"));

        assertThat(root.isMapping()).isTrue();
        assertThat(root.mapping()).isEmpty();
        root.finish();
    }

    @Test
    void anIncludedFileIsMergedOverTheIncludingOne() throws IOException {
        write("extra.yml", "b: 3\nc: 4\n");
        Path main = write("main.yml", "include: extra.yml\na: 1\nb: 2\n");

        ConfigNode root = ConfigLoader.load(main);

        assertThat(root.integer("a", 0)).isEqualTo(1);
        assertThat(root.integer("b", 0)).isEqualTo(3);
        assertThat(root.integer("c", 0)).isEqualTo(4);
        assertThat(root.required("b").file()).isEqualTo(dir.resolve("extra.yml"));
        root.finish();
    }

    @Test
    void ofAListOfIncludesTheLaterFilesWinKeyByKey() throws IOException {
        write("one.yml", "a: 1\nb: 1\n");
        write("two.yml", "a: 2\n");
        Path main = write("main.yml", "include: [one.yml, two.yml]\na: 0\nb: 0\nc: 0\n");

        ConfigNode root = ConfigLoader.load(main);

        assertThat(root.integer("a", -1)).isEqualTo(2);
        assertThat(root.integer("b", -1)).isEqualTo(1);
        assertThat(root.integer("c", -1)).isEqualTo(0);
    }

    @Test
    void theMergeIsShallowAsInTheSeeds() throws IOException {
        write("extra.yml", "server: {port: 2}\n");
        Path main = write("main.yml", "include: extra.yml\nserver: {host: a.example, port: 1}\n");

        ConfigNode server = ConfigLoader.load(main).required("server");

        assertThat(server.integer("port", 0)).isEqualTo(2);
        assertThat(server.string("host", "none")).isEqualTo("none");
    }

    @Test
    void includesAreRelativeToTheFileThatNamesThem() throws IOException {
        write("sub/deeper.yml", "depth: 2\n");
        write("sub/inner.yml", "include: deeper.yml\ndepth: 1\ninner: yes\n");
        Path main = write("main.yml", "include: sub/inner.yml\ndepth: 0\n");

        ConfigNode root = ConfigLoader.load(main);

        assertThat(root.integer("depth", -1)).isEqualTo(2);
        assertThat(root.bool("inner", false)).isTrue();
        root.finish();
    }

    @Test
    void eightLevelsOfIncludesLoadButNineAreRefused() throws IOException {
        for (int i = 0; i < 9; i++) write("f" + i + ".yml", "include: f" + (i + 1) + ".yml\nlevel" + i + ": 1\n");
        write("f8.yml", "level8: 1\n");

        ConfigNode root = ConfigLoader.load(dir.resolve("f0.yml"));
        assertThat(root.integer("level8", 0)).isEqualTo(1);

        write("f8.yml", "include: f9.yml\n");
        write("f9.yml", "level9: 1\n");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("f0.yml")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("f9.yml") + ":1: include nesting deeper than 8 (a loop?)");
    }

    @Test
    void anIncludeLoopIsAnErrorNotAStackOverflow() throws IOException {
        Path main = write("main.yml", "include: main.yml\na: 1\n");

        assertThatThrownBy(() -> ConfigLoader.load(main))
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ":1: include nesting deeper than 8 (a loop?)");
    }

    @Test
    void anUnknownKeyInAnIncludedFileNamesThatFile() throws IOException {
        write("extra.yml", "known: 1\n\nunknwon: 2\n");
        ConfigNode root = ConfigLoader.load(write("main.yml", "include: extra.yml\n"));
        root.integer("known", 0);

        assertThatThrownBy(root::finish)
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("extra.yml") + ":3: unknwon: unknown key; expected one of: include, known");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nowhere.yml");

        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": file not found");
    }

    @Test
    void aMissingIncludeIsNamedWithTheLineThatIncludesIt() throws IOException {
        Path main = write("main.yml", "a: 1\ninclude:\n  - here.yml\n  - gone.yml\n");
        write("here.yml", "b: 1\n");

        assertThatThrownBy(() -> ConfigLoader.load(main))
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ":4: include[1]: file not found: " + dir.resolve("gone.yml").toAbsolutePath());
    }

    @Test
    void invalidYamlIsReportedWithItsLine() throws IOException {
        Path main = write("main.yml", "a: 1\nb: c: d\n");

        assertThatThrownBy(() -> ConfigLoader.load(main))
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ":2: not valid YAML: mapping values are not allowed here");
    }

    @Test
    void anUnclosedListIsReportedWithALine() throws IOException {
        Path main = write("main.yml", "a: 1\nb: [1, 2\n");

        assertThatThrownBy(() -> ConfigLoader.load(main))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(main + ":3: not valid YAML: ");
    }

    @Test
    void theTopOfAConfigFileMustBeAMapping() throws IOException {
        Path main = write("main.yml", "- a\n- b\n");

        assertThatThrownBy(() -> ConfigLoader.load(main))
                .isInstanceOf(ConfigException.class)
                .hasMessage(main + ":1: the top of a config file must be a mapping of keys to values");
    }

    @Test
    void loadFileKeepsThePathPrefixForErrors() throws IOException {
        Path module = write("cbl.yml", "x: 1\n");

        ConfigNode n = ConfigLoader.loadFile(module, "modules[0].CBL");

        assertThat(n.required("x").path()).isEqualTo("modules[0].CBL.x");
        assertThatThrownBy(() -> ConfigLoader.loadFile(dir.resolve("none.yml"), "modules[0].CBL"))
                .hasMessage(dir.resolve("none.yml") + ": modules[0].CBL: file not found");
    }
}
