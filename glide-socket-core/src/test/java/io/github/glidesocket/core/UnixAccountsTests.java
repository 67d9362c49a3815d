package io.github.glidesocket.core;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Names resolved to ids through the system's name service, numbers taken as ids, and this
 * process's groups.
 */
class UnixAccountsTests {

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
