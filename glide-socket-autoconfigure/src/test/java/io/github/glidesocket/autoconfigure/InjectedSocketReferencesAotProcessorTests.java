package io.github.glidesocket.autoconfigure;

import java.nio.file.Path;

import io.github.glidesocket.core.SocketReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.aot.hint.predicate.RuntimeHintsPredicates.reflection;

/**
 * Tests for {@link InjectedSocketReferencesAotProcessor}: processing an application ahead of
 * time keeps the fields that {@link InjectedSocketReferences} reads at bean destruction
 * reflectively readable.
 */
class InjectedSocketReferencesAotProcessorTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner contextRunner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(GlideSocketAutoConfiguration.class))
			.withPropertyValues("glide.socket.path=" + this.directory.resolve("d.sock"))
			.withBean(AdminClient.class)
			.withBean(AuditClient.class);
	}

	@Test
	void processAheadOfTimeShouldRegisterTheSocketReferenceFieldsOfEveryBean() {
		contextRunner().prepare((context) -> {
			RuntimeHints hints = processAheadOfTime(context.getSourceApplicationContext());
			assertThat(reflection().onFieldAccess(AdminClient.class, "socket")).accepts(hints);
			assertThat(reflection().onFieldAccess(AuditClient.class, "audit")).accepts(hints);
			assertThat(reflection().onFieldAccess(BaseClient.class, "socket")).accepts(hints);
		});
	}

	@Test
	void processAheadOfTimeShouldRegisterNoOtherField() {
		contextRunner().prepare((context) -> {
			RuntimeHints hints = processAheadOfTime(context.getSourceApplicationContext());
			assertThat(reflection().onFieldAccess(AdminClient.class, "name")).rejects(hints);
			assertThat(reflection().onFieldAccess(AdminClient.class, "shared")).rejects(hints);
		});
	}

	@Test
	void processAheadOfTimeWhenDisabledShouldRegisterNoField() {
		contextRunner().withPropertyValues("glide.socket.enabled=false").prepare((context) -> {
			RuntimeHints hints = processAheadOfTime(context.getSourceApplicationContext());
			assertThat(reflection().onFieldAccess(AdminClient.class, "socket")).rejects(hints);
		});
	}

	private static RuntimeHints processAheadOfTime(Object context) {
		return GlideSocketRuntimeHintsTests.processAheadOfTime((GenericApplicationContext) context);
	}

	/**
	 * Injected through the constructor: the container itself never reads the field.
	 */
	static class AdminClient {

		static SocketReference shared;

		private final SocketReference socket;

		private final String name = "admin";

		AdminClient(@GlideSocket SocketReference socket) {
			this.socket = socket;
		}

		String describe() {
			return this.name + " " + this.socket;
		}

	}

	static class BaseClient {

		private final SocketReference socket;

		BaseClient(SocketReference socket) {
			this.socket = socket;
		}

		SocketReference socket() {
			return this.socket;
		}

	}

	static class AuditClient extends BaseClient {

		private final SocketReference audit;

		AuditClient(SocketReference socket, SocketReference audit) {
			super(socket);
			this.audit = audit;
		}

		SocketReference audit() {
			return this.audit;
		}

	}

}
