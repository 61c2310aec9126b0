package dev.simmer.examples;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PyTest {
    @Test
    void listsOfStringsLookLikePythonLists() {
        assertThat(Py.repr(List.of("User 1", "User 2", "User 3"))).isEqualTo("['User 1', 'User 2', 'User 3']");
        assertThat(Py.repr(List.of())).isEqualTo("[]");
    }

    @Test
    void quotesLikePython() {
        assertThat(Py.repr("it's")).isEqualTo("\"it's\"");
        assertThat(Py.repr("say \"it's\"")).isEqualTo("'say \"it\\'s\"'");
        assertThat(Py.repr("a\\b\nc")).isEqualTo("'a\\\\b\\nc'");
    }

    @Test
    void otherValues() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("data", "example");
        map.put("n", 7);
        assertThat(Py.repr(map)).isEqualTo("{'data': 'example', 'n': 7}");
        assertThat(Py.repr(Arrays.asList(null, true, false, List.of(1, 2)))).isEqualTo("[None, True, False, [1, 2]]");
    }

    @Test
    void strLeavesStringsAlone() {
        assertThat(Py.str("Hello!")).isEqualTo("Hello!");
        assertThat(Py.str(List.of("A"))).isEqualTo("['A']");
        assertThat(Py.str(7)).isEqualTo("7");
    }
}
