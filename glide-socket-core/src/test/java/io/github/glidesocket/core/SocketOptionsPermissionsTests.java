package io.github.glidesocket.core;

import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The socket file's mode and group as {@link SocketOptions.Builder} takes them: {@code ls} form
 * or octal, as systemd and PostgreSQL take a socket's mode, and a group by name or id.
 */
class SocketOptionsPermissionsTests {

	@ParameterizedTest
	@CsvSource({ "0660, rw-rw----", "660, rw-rw----", "0600, rw-------", "600, rw-------", "0666, rw-rw-rw-",
			"0640, rw-r-----", "0000, ---------", "0242, -w-r---w-", "rw-rw----, rw-rw----" })
	void permissionsInOctalOrLsFormGiveTheSameMode(String given, String mode) {
		SocketOptions options = SocketOptions.builder().permissions(given).build();
		assertThat(PosixFilePermissions.toString(options.permissions())).isEqualTo(mode);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0770", "0755", "0661", "rwxrw----", "rw-rw---x" })
	void permissionsWithExecuteBitsAreRefusedInEitherForm(String given) {
		assertThatIllegalArgumentException().isThrownBy(() -> SocketOptions.builder().permissions(given))
			.withMessageStartingWith("'permissions' must not contain execute bits");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "0680", "66", "06600", "1660", "4660", "rw-rw---", "rw-rw----x", "ug=rw", "0x1b0" })
	void permissionsThatAreNeitherOctalNorLsFormAreRefusedNamingBothForms(String given) {
		assertThatIllegalArgumentException().isThrownBy(() -> SocketOptions.builder().permissions(given))
			.withMessage("'permissions' must be octal such as 0660 or nine characters such as rw-rw----, got '"
					+ given + "'");
	}

	@Test
	void groupByNameOrIdIsResolvedToTheSameId() {
		assertThat(SocketOptions.builder().group("nogroup").build().groupId()).isEqualTo(65534L);
		assertThat(SocketOptions.builder().group("65534").build().groupId()).isEqualTo(65534L);
		assertThat(SocketOptions.builder().group("root").group(null).build().groupId()).isNull();
		assertThat(SocketOptions.defaults().groupId()).isNull();
	}

	@Test
	void groupWithAnUnknownNameIsRefusedNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> SocketOptions.builder().group("no-such-group-x"))
			.withMessage("'group' must name a group known to this system, got 'no-such-group-x'");
	}

}
