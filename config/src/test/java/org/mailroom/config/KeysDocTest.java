package org.mailroom.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md lists every key with its real default (DESIGN.md section 5). */
class KeysDocTest {

    @Test
    void everyKeyIsDocumentedWithItsDefault() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (Key<?> k : Keys.ALL) {
            String def = k.defaultText().isEmpty() ? "*(empty)*" : "`" + k.defaultText() + "`";
            assertTrue(doc.contains("| `" + k.name() + "` | " + def + " |"),
                    "docs/configuration.md lacks the row for " + k.name() + " with default " + def);
        }
    }
}
