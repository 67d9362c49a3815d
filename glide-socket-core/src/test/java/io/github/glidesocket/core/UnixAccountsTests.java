package io.github.glidesocket.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Names resolved to ids through the system's name service, numbers taken as ids, and this
 * process's groups.
 */
class UnixAccountsTests {

	@TempDir
	Path directory;

	@Test
	void userAndGroupNamesResolveToTheirIds() {
		assertThat(UnixAccounts.userId("root")).isZero();
		assertThat(UnixAccounts.userId("nobody")).isEqualTo(65534);
		assertThat(UnixAccounts.groupId("root")).isZero();
		assertThat(UnixAccounts.groupId("nogroup")).isEqualTo(65534);
	}

	@Test
	void numbersAreTakenAsIdsEvenWithoutAnAccount() {
		assertThat(UnixAccounts.userId("123456")).isEqualTo(123456);
		assertThat(UnixAccounts.groupId(" 4242 ")).isEqualTo(4242);
	}

	@Test
	void unknownNamesAreRefusedNamingTheName() {
		assertThatIllegalArgumentException().isThrownBy(() -> UnixAccounts.userId("no-such-user-x"))
			.withMessage("'user' must name a user known to this system, got 'no-such-user-x'");
		assertThatIllegalArgumentException().isThrownBy(() -> UnixAccounts.groupId("no-such-group-x"))
			.withMessage("'group' must name a group known to this system, got 'no-such-group-x'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "root:x", "two words" })
	void malformedNamesAreRefused(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> UnixAccounts.groupId(name))
			.withMessageStartingWith("'group' ");
	}

	@ParameterizedTest
	@ValueSource(strings = { "-sx/../evil", "--help", "-" })
	void namesThatStartWithADashAreRefusedBeforeAnyLookup(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> UnixAccounts.userId(name))
			.withMessage("'user' must not start with '-', got '" + name + "'");
		assertThatIllegalArgumentException().isThrownBy(() -> UnixAccounts.groupId(name))
			.withMessage("'group' must not start with '-', got '" + name + "'");
	}

	@Test
	void getentIsGivenTheNameAfterTheEndOfItsOptions() throws IOException {
		Path arguments = this.directory.resolve("arguments");
		Path getent = script("printf '%s\\n' \"$@\" > '" + arguments + "'\necho 'alice:x:1234:1234::/:/bin/sh'");
		assertThat(UnixAccounts.getent(getent, Duration.ofSeconds(30), "passwd", "alice"))
			.isEqualTo("alice:x:1234:1234::/:/bin/sh");
		assertThat(Files.readAllLines(arguments, StandardCharsets.UTF_8)).containsExactly("passwd", "--", "alice");
	}

	@Test
	@Timeout(60)
	void aLookupThatPrintsNothingAndNeverEndsIsEndedAtItsTimeout() throws IOException {
		Path getent = script("exec sleep 300");
		assertThatIllegalStateException()
			.isThrownBy(() -> UnixAccounts.getent(getent, Duration.ofMillis(500), "passwd", "alice"))
			.withMessageEndingWith("took longer than 500 ms");
	}

	@Test
	void aLookupThatSucceedsWithoutOutputFailsRatherThanFindingNobody() throws IOException {
		Path getent = script("exit 0");
		assertThatIllegalStateException()
			.isThrownBy(() -> UnixAccounts.getent(getent, Duration.ofSeconds(30), "passwd", "alice"))
			.withMessageEndingWith("printed nothing, though it found the name");
	}

	@Test
	void exitCodeTwoIsNoSuchNameAndAnyOtherFailureIsAFailure() throws IOException {
		assertThat(UnixAccounts.getent(script("exit 2"), Duration.ofSeconds(30), "group", "staff")).isNull();
		assertThatIllegalStateException()
			.isThrownBy(() -> UnixAccounts.getent(script("exit 1"), Duration.ofSeconds(30), "group", "staff"))
			.withMessageEndingWith("failed with exit code 1");
	}

	/**
	 * An executable shell script standing in for {@code getent}.
	 */
	private Path script(String body) throws IOException {
		Path script = Files.createTempFile(this.directory, "getent", ".sh");
		Files.writeString(script, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
		return script;
	}

	@Test
	void aNamePrefixOfAnotherDoesNotResolveToIt() {
		// 'nogroup' exists; 'nogrou' must not match it.
		assertThatIllegalArgumentException().isThrownBy(() -> UnixAccounts.groupId("nogrou"));
	}

	@Test
	void processGroupsAreTheEffectiveGroupAndTheSupplementaryGroups() {
		String status = "Name:\tjava\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t1000\t1000\t1000\nGroups:\t27 44 \n";
		assertThat(ProcessIdentity.groupsFromStatus(status)).contains(Set.of(1000L, 27L, 44L));
		assertThat(ProcessIdentity.groupsFromStatus("Gid:\t0\t0\t0\t0\nGroups:\t\n")).contains(Set.of(0L));
		assertThat(ProcessIdentity.groupsFromStatus("Name:\tjava\n")).isEqualTo(Optional.empty());
	}

	@Test
	void thisProcessIsInItsOwnGroupAndNotInAnother() throws Exception {
		long gid = ((Number) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/proc/self"), "unix:gid"))
			.longValue();
		assertThat(UnixAccounts.processIsInGroup(gid)).isTrue();
		assertThat(UnixAccounts.processIsInGroup(987654)).isFalse();
	}

}
