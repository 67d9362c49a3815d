package io.github.glidesocket.starter.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of the README and the guide leads to a file of the repository and, with
 * an anchor, to a heading of that page, as GitHub names its anchors.
 */
class DocsLinkTests {

	private static final Guide GUIDE = new Guide(Path.of(".."));

	@TempDir
	Path directory;

	@TestFactory
	Stream<DynamicTest> everyLinkOfTheGuideResolves() {
		LinkChecker checker = new LinkChecker(GUIDE);
		return GUIDE.pages()
			.stream()
			.map((page) -> DynamicTest.dynamicTest(GUIDE.root().relativize(page.path()).toString(),
					() -> assertThat(checker.brokenLinks(page)).isEmpty()));
	}

	@Test
	void theGuideHasItsPages() {
		assertThat(GUIDE.pages()).extracting((page) -> GUIDE.root().relativize(page.path()).toString())
			.contains("README.md", "docs/README.md", "docs/spring-boot.md", "docs/core-api.md");
	}

	@Test
	void aLinkToAMissingFileOrHeadingIsReported() throws IOException {
		write("README.md", "# Title", "See [the guide](docs/guide.md), [gone](docs/gone.md),",
				"[a section](docs/guide.md#no-such-section) and [here](#nowhere).");
		write("docs/guide.md", "# Guide");
		assertThat(brokenLinks()).containsExactlyInAnyOrder(
				"README.md:2 -> docs/gone.md: no such file docs/gone.md",
				"README.md:3 -> docs/guide.md#no-such-section: no heading with anchor #no-such-section in docs/guide.md",
				"README.md:3 -> #nowhere: no heading with anchor #nowhere in README.md");
	}

	@Test
	void anchorsAreNamedAsGitHubNamesThem() throws IOException {
		write("README.md", "# Front", "[a](docs/guide.md#the-original-designs-api-in-java)",
				"[b](docs/guide.md#socketreference-and-glidesocketname) [c](docs/guide.md#notes-1)",
				"[d](docs/guide.md#many-bound-sockets-cost-no-thread)");
		write("docs/guide.md", "# Guide", "## The original design's API in Java", "## `SocketReference` and `@GlideSocket(name)`",
				"## Notes", "### Notes", "## Many bound sockets cost no thread");
		assertThat(brokenLinks()).isEmpty();
	}

	@Test
	void linksInCodeAndLinksToTheWebAreNotFollowed() throws IOException {
		write("README.md", "# Front", "`[not a link](nowhere.md)` and [Spring](https://spring.io/missing.md)", "```shell",
				"echo [x](missing.md)", "```");
		assertThat(brokenLinks()).isEmpty();
	}

	@Test
	void aLinkOutOfTheRepositoryIsReported() throws IOException {
		write("docs/guide.md", "# Guide", "[up](../../elsewhere/README.md)");
		write("README.md", "# Front");
		Files.createDirectories(this.directory.resolve("elsewhere"));
		Files.writeString(this.directory.resolve("elsewhere").resolve("README.md"), "# Elsewhere");
		assertThat(brokenLinks()).singleElement().asString().endsWith("leads outside the repository");
	}

	@Test
	void draftsAreNotPartOfTheGuide() throws IOException {
		write("README.md", "# Front");
		write("docs/_drafts/new-page.md", "# Draft", "[later](later.md#todo)");
		write("docs/guide.md", "# Guide");
		assertThat(new Guide(repository()).pages()).extracting((page) -> page.path().getFileName().toString())
			.containsExactly("README.md", "guide.md");
	}

	private List<String> brokenLinks() {
		Guide guide = new Guide(repository());
		LinkChecker checker = new LinkChecker(guide);
		return guide.pages()
			.stream()
			.flatMap((page) -> checker.brokenLinks(page).stream())
			.map((problem) -> problem.replace(guide.root() + "/", ""))
			.toList();
	}

	/** A repository in the temporary directory, so that a link may lead out of it and still stay inside. */
	private Path repository() {
		return this.directory.resolve("repository");
	}

	private void write(String name, String... lines) throws IOException {
		Path file = repository().resolve(name);
		Files.createDirectories(file.getParent());
		Files.writeString(file, String.join("\n", lines) + "\n");
	}

}
