package org.mailroom.smtp.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailParamsTest {

    @Test
    void keywordsAreCaseInsensitiveAndOrdered() {
        MailParams p = MailParams.parse("size=1000  body=8BITMIME SMTPUTF8");
        assertEquals(List.of("SIZE", "BODY", "SMTPUTF8"), List.copyOf(p.keywords()));
        assertEquals("1000", p.get("Size"));
        assertEquals("8BITMIME", p.get("BODY"));
        assertTrue(p.has("smtputf8"));
        assertNull(p.get("SMTPUTF8"));
        assertEquals(" SIZE=1000 BODY=8BITMIME SMTPUTF8", p.encode());
    }

    @Test
    void emptyIsNone() {
        assertTrue(MailParams.parse("").isEmpty());
        assertTrue(MailParams.parse("   ").isEmpty());
        assertFalse(MailParams.parse("X").isEmpty());
    }

    @Test
    void buildsForTheClient() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("size", "12");
        m.put("BODY", "7BIT");
        assertEquals(" SIZE=12 BODY=7BIT", MailParams.of(m).encode());
        assertThrows(IllegalArgumentException.class, () -> MailParams.of(Map.of("A B", "x")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1", "SIZE=", "-X=1", "SI_ZE=1", "SIZE=1 SIZE=2", "X=a=b", "X=\u0001",
            "X=\u00e9", "K\u00e9=1"})
    void rejected(String s) {
        assertThrows(IllegalArgumentException.class, () -> MailParams.parse(s), s);
    }

    @Test
    void boundedCount() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40; i++) b.append(" K").append(i).append("=v");
        assertThrows(IllegalArgumentException.class, () -> MailParams.parse(b.toString()));
    }
}
