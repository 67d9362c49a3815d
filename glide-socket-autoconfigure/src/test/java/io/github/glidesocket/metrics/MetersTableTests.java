package io.github.glidesocket.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.glidesocket.core.RejectReason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters table of the operations guide lists every meter the starter registers, with its
 * type and tags, and every reason a connection is refused for.
 */
class MetersTableTests {

	private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");

	@Test
	void tableListsEveryMeterWithItsTypeAndTags() throws IOException {
		Map<String, String[]> rows = meterRows();
		assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(
				Arrays.stream(GlideSocketMeters.values()).map(GlideSocketMeters::meterName).toList());
		for (GlideSocketMeters meter : GlideSocketMeters.values()) {
			String[] row = rows.get(meter.meterName());
			assertThat(row[1].strip()).as(meter.meterName()).isEqualTo(meter.type().name().toLowerCase(Locale.ROOT));
			meter.tagKeys().forEach((tag) -> assertThat(row[3]).as(meter.meterName()).contains("`" + tag + "`"));
		}
	}

	@Test
	void rejectedConnectionsRowNamesEveryReason() throws IOException {
		String tags = meterRows().get(GlideSocketMeters.CONNECTIONS_REJECTED.meterName())[3];
		for (RejectReason reason : RejectReason.values()) {
			assertThat(tags).contains("`" + reason.tagValue() + "`");
		}
	}

	/**
	 * The table's rows by meter name, each split into its cells (name, type, unit, tags, ...).
	 */
	private static Map<String, String[]> meterRows() throws IOException {
		Map<String, String[]> rows = new LinkedHashMap<>();
		for (String line : Files.readAllLines(OPERATIONS)) {
			if (line.startsWith("| `glide.socket.")) {
				String[] cells = line.substring(1).split("\\|");
				rows.put(cells[0].strip().replace("`", ""), cells);
			}
		}
		return rows;
	}

}
