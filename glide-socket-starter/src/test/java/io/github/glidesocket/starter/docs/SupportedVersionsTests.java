package io.github.glidesocket.starter.docs;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tables of supported Spring Boot and Java versions say what the build runs: a row per
 * profile of the consumer build {@code src/it/starter-application} that {@code invoker.properties}
 * runs, with the starter that profile adds and the Spring Boot version it is built on (one of the
 * build's {@code spring-boot*.version} properties), and Java from the compiler's release to the
 * newest JDK that {@code .ci/run} runs the build on.
 */
class SupportedVersionsTests {

	private static final Path ROOT = Path.of("..");

	private static final Path CONSUMER = Path.of("src", "it", "starter-application");

	private static final Pattern PLACEHOLDER = Pattern.compile("@([\\w.-]+)@");

	@Test
	void everySpringBootVersionOfTheBuildHasAConsumerBuild() throws Exception {
		List<String> versions = new ArrayList<>();
		for (ConsumerBuild build : consumerBuilds().values()) {
			versions.add(build.version());
		}
		assertThat(versions).containsExactlyInAnyOrder(property("spring-boot.version"),
				property("spring-boot-4.0.version"), property("spring-boot-3.5.version"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "README.md", "docs/spring-boot.md" })
	void theTableListsWhatTheBuildRuns(String page) throws Exception {
		String java = property("maven.compiler.release") + " and " + newestJdkOfTheCi();
		List<List<String>> expected = new ArrayList<>();
		for (ConsumerBuild build : consumerBuilds().values()) {
			String version = build.version();
			expected.add(List.of(version.substring(0, version.lastIndexOf('.')), "`" + build.starter() + "`", version,
					java));
		}
		assertThat(table(ROOT.resolve(page))).containsExactlyElementsOf(expected);
	}

	/**
	 * The consumer builds that {@code invoker.properties} runs, by the profile that gives each its
	 * Spring Boot version, with the starter that profile adds and the version from the build's
	 * properties.
	 */
	private static Map<String, ConsumerBuild> consumerBuilds() throws Exception {
		Properties invocations = new Properties();
		try (Reader reader = Files.newBufferedReader(CONSUMER.resolve("invoker.properties"))) {
			invocations.load(reader);
		}
		Map<String, Element> versionProfiles = new LinkedHashMap<>();
		NodeList profiles = DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(CONSUMER.resolve("pom.xml").toFile())
			.getElementsByTagName("profile");
		for (int i = 0; i < profiles.getLength(); i++) {
			Element profile = (Element) profiles.item(i);
			if (profile.getElementsByTagName("spring-boot.version").getLength() > 0) {
				versionProfiles.put(text(profile, "id"), profile);
			}
		}
		Map<String, ConsumerBuild> builds = new LinkedHashMap<>();
		for (String key : new TreeSet<>(invocations.stringPropertyNames())) {
			if (!key.startsWith("invoker.profiles")) {
				continue;
			}
			List<String> ids = Arrays.stream(invocations.getProperty(key).split(","))
				.map(String::strip)
				.filter(versionProfiles::containsKey)
				.toList();
			assertThat(ids).as("%s names one profile that sets spring-boot.version", key).hasSize(1);
			Element profile = versionProfiles.get(ids.get(0));
			Matcher version = PLACEHOLDER.matcher(text(profile, "spring-boot.version"));
			assertThat(version.matches()).as("profile %s takes spring-boot.version from the build", ids.get(0)).isTrue();
			String starter = null;
			NodeList artifacts = profile.getElementsByTagName("artifactId");
			for (int j = 0; j < artifacts.getLength(); j++) {
				if (artifacts.item(j).getTextContent().startsWith("glide-socket-starter")) {
					starter = artifacts.item(j).getTextContent();
				}
			}
			assertThat(starter).as("the starter of profile %s", ids.get(0)).isNotNull();
			builds.put(ids.get(0), new ConsumerBuild(starter, property(version.group(1))));
		}
		return builds;
	}

	private static String text(Element parent, String tag) {
		NodeList elements = parent.getElementsByTagName(tag);
		assertThat(elements.getLength()).as("<%s>", tag).isOne();
		return elements.item(0).getTextContent().strip();
	}

	private static String property(String name) {
		String value = System.getProperty(name);
		assertThat(value).as("system property %s, set by the build", name).isNotBlank();
		return value;
	}

	private static int newestJdkOfTheCi() throws IOException {
		Matcher jdk = Pattern.compile("temurin-(\\d+)").matcher(Files.readString(ROOT.resolve(".ci/run")));
		int newest = Integer.parseInt(property("maven.compiler.release"));
		while (jdk.find()) {
			newest = Math.max(newest, Integer.parseInt(jdk.group(1)));
		}
		return newest;
	}

	/**
	 * The rows of the first table whose header starts with "| Spring Boot |", each as its cells.
	 */
	private static List<List<String>> table(Path page) throws IOException {
		List<List<String>> rows = new ArrayList<>();
		boolean inTable = false;
		for (String line : Files.readAllLines(page)) {
			if (line.startsWith("| Spring Boot |")) {
				inTable = true;
			}
			else if (inTable && line.startsWith("| ---")) {
				continue;
			}
			else if (inTable && line.startsWith("|")) {
				List<String> cells = new ArrayList<>();
				for (String cell : line.substring(1, line.length() - 1).split("\\|")) {
					cells.add(cell.strip());
				}
				rows.add(cells);
			}
			else if (inTable) {
				break;
			}
		}
		assertThat(rows).as("the Spring Boot versions table of %s", page).isNotEmpty();
		return rows;
	}

	private record ConsumerBuild(String starter, String version) {

	}

}
