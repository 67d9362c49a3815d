package io.github.glidesocket.starter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's dependency snippets and the consumer builds under {@code src/it} the same,
 * so the consumer builds prove what a reader copies.
 */
class ReadmeSnippetTests {

	private static final Path README = Path.of("..", "README.md");

	private static final Path CONSUMER_BUILDS = Path.of("src", "it");

	@Test
	void starterSnippetIsTheDependencyOfTheSpringBootConsumer() throws IOException {
		String snippet = xmlSnippetAfter("### Add the starter");
		assertThat(normalize(snippet)).contains("<artifactId>glide-socket-starter</artifactId>");
		assertThat(normalize(pom("starter-application"))).contains(normalize(snippet));
	}

	@Test
	void coreSnippetIsTheDependencyOfThePlainJavaConsumer() throws IOException {
		String snippet = xmlSnippetAfter("## The core, from plain Java");
		assertThat(normalize(snippet)).contains("<artifactId>glide-socket-core</artifactId>");
		assertThat(normalize(pom("core-only"))).contains(normalize(snippet));
	}

	@Test
	void snippetsNameThisBuildsGroupAndVersion() throws IOException {
		for (String heading : List.of("### Add the starter", "## The core, from plain Java")) {
			assertThat(normalize(xmlSnippetAfter(heading)))
				.as(heading)
				.contains("<groupId>" + System.getProperty("project.groupId") + "</groupId>")
				.contains("<version>" + System.getProperty("project.version") + "</version>")
				.doesNotContain("<type>");
		}
	}

	/**
	 * The first {@code ```xml} block after a heading of the README, without its fences.
	 */
	private static String xmlSnippetAfter(String heading) throws IOException {
		List<String> lines = Files.readAllLines(README);
		int start = lines.indexOf(heading);
		assertThat(start).as("README heading '%s'", heading).isNotNegative();
		int open = start + 1;
		while (open < lines.size() && !lines.get(open).equals("```xml")) {
			assertThat(lines.get(open)).as("a heading between '%s' and its snippet", heading).doesNotStartWith("#");
			open++;
		}
		int close = lines.subList(open, lines.size()).indexOf("```") + open;
		assertThat(close).as("the end of the snippet after '%s'", heading).isGreaterThan(open);
		return String.join("\n", lines.subList(open + 1, close));
	}

	private static String pom(String project) throws IOException {
		return Files.readString(CONSUMER_BUILDS.resolve(project).resolve("pom.xml"));
	}

	private static String normalize(String xml) {
		return xml.strip().replaceAll("\\s+", " ").replaceAll("> <", "><");
	}

}
