package io.github.glidesocket.autoconfigure;

import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the configuration metadata the build generates into
 * {@code META-INF/spring-configuration-metadata.json}, which IDEs read to complete and describe
 * {@code glide.socket.*} keys.
 * <p>
 * The format describes a map of objects such as {@code glide.socket.sockets} by one entry whose
 * type names the value class; it has no entries for the keys under each map value. IDEs that
 * resolve that type from the class path complete {@code glide.socket.sockets.NAME.path} and its
 * siblings; these tests hold the entry to naming the value class and to describing every
 * sibling, and hold each sibling to a documented key of the same name under
 * {@code glide.socket.}.
 */
class ConfigurationMetadataTests {

	private static final String SOCKETS = "glide.socket.sockets";

	private final DocumentContext metadata = JsonPath.parse(read());

	@Test
	void socketsEntryNamesTheValueClassForIdesToComplete() {
		Map<String, Object> sockets = property(SOCKETS);
		assertThat(sockets.get("type"))
			.isEqualTo("java.util.Map<java.lang.String,io.github.glidesocket.autoconfigure.GlideSocketProperties$Socket>");
		assertThat(sockets.get("sourceType")).isEqualTo(GlideSocketProperties.class.getName());
	}

	@Test
	void socketsEntryDescribesEveryKeyOfANamedSocket() {
		String description = (String) property(SOCKETS).get("description");
		List<String> keys = namedSocketKeys();
		assertThat(keys).contains("path", "peers.policy", "stale-socket-policy");
		for (String key : keys) {
			assertThat(description).as("description of %s", SOCKETS).contains("'" + key + "'");
		}
	}

	@Test
	void everyKeyOfANamedSocketButItsPathIsADocumentedKeyOfTheDefaultSocket() {
		for (String key : namedSocketKeys()) {
			if (!key.equals("path")) {
				Map<String, Object> property = property("glide.socket." + key);
				assertThat((String) property.get("description")).as("glide.socket.%s", key).isNotBlank();
			}
		}
	}

	@Test
	void healthIndicatorSwitchIsDocumented() {
		Map<String, Object> property = property("management.health.glidesocket.enabled");
		assertThat(property.get("type")).isEqualTo("java.lang.Boolean");
		assertThat(property.get("defaultValue")).isEqualTo(true);
	}

	private Map<String, Object> property(String name) {
		List<Map<String, Object>> found = this.metadata.read("$.properties[?(@.name == '" + name + "')]");
		assertThat(found).as("metadata entries named %s", name).hasSize(1);
		return found.get(0);
	}

	/**
	 * The keys that bind under {@code glide.socket.sockets.NAME.}, from the value class itself.
	 */
	private static List<String> namedSocketKeys() {
		List<String> keys = new ArrayList<>();
		for (String property : beanProperties(GlideSocketProperties.Socket.class)) {
			if (property.equals("peers")) {
				beanProperties(GlideSocketProperties.SocketPeers.class).forEach((peer) -> keys.add("peers." + peer));
			}
			else if (property.equals("servers")) {
				beanProperties(GlideSocketProperties.SocketServers.class)
					.forEach((server) -> keys.add("servers." + server));
			}
			else {
				keys.add(property);
			}
		}
		return keys;
	}

	private static List<String> beanProperties(Class<?> type) {
		try {
			List<String> names = new ArrayList<>();
			for (PropertyDescriptor descriptor : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
				names.add(descriptor.getName().replaceAll("([A-Z])", "-$1").toLowerCase());
			}
			return names;
		}
		catch (java.beans.IntrospectionException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String read() {
		try {
			Path classes = Path.of(GlideSocketProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
			return Files.readString(classes.resolve("META-INF/spring-configuration-metadata.json"));
		}
		catch (IOException | java.net.URISyntaxException ex) {
			throw new IllegalStateException("The build writes META-INF/spring-configuration-metadata.json", ex);
		}
	}

}
