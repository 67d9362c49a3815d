package io.github.glidesocket.starter.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The published documentation of a repository: its README and the pages under {@code docs/},
 * but not the drafts in {@code docs/_drafts/}, which are not part of the guide yet.
 */
public final class Guide {

	static final String DRAFTS = "_drafts";

	private final Path root;

	public Guide(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	public Path root() {
		return this.root;
	}

	public List<MarkdownFile> pages() {
		List<MarkdownFile> pages = new ArrayList<>();
		try {
			pages.add(MarkdownFile.read(this.root.resolve("README.md")));
			Path docs = this.root.resolve("docs");
			if (Files.isDirectory(docs)) {
				try (Stream<Path> files = Files.walk(docs)) {
					for (Path file : files.filter(this::isPage).sorted().toList()) {
						pages.add(MarkdownFile.read(file));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return pages;
	}

	private boolean isPage(Path file) {
		Path relative = this.root.resolve("docs").relativize(file);
		return Files.isRegularFile(file) && file.getFileName().toString().endsWith(".md")
				&& !relative.getName(0).toString().equals(DRAFTS);
	}

}
