package dev.subscriptions.web;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.subscriptions.web.security.ApiScopes;
import dev.subscriptions.web.security.Organization;

/**
 * A service with the endpoints that make every kind of error the shared advice answers,
 * against a real PostgreSQL.
 */
@SpringBootApplication
class WebTestApplication {

	/**
	 * The error-making endpoints are open; {@code /secured/**} need scopes, one of them
	 * more when asked for deleted records.
	 */
	@Bean
	ApiScopes apiScopes() {
		ApiScopes.Builder scopes = ApiScopes.builder();
		for (String path : List.of("/orders", "/notes")) {
			scopes.open(HttpMethod.POST, path);
		}
		for (String path : List.of("/orders/{id}", "/orders", "/tenant", "/slow", "/broken", "/unreachable",
				"/unreachable-transaction")) {
			scopes.open(HttpMethod.GET, path);
		}
		return scopes.open(HttpMethod.PUT, "/notes/{key}")
			.requireWhen(HttpMethod.GET, "/secured/notes/{id}", "includeDeleted", "true",
					ApiScopes.CUSTOMERS_READ_DELETED)
			.require(HttpMethod.GET, "/secured/notes/{id}", ApiScopes.CUSTOMERS_READ)
			.require(HttpMethod.POST, "/secured/notes", ApiScopes.CUSTOMERS_WRITE)
			.require(HttpMethod.POST, "/secured/revocations", ApiScopes.SUBSCRIPTIONS_ADMIN)
			.build();
	}

	/**
	 * Declared, so that a duplicate key is answered naming its field;
	 * {@code note_slug_key} is not.
	 */
	@Bean
	UniqueConstraint noteKey() {
		return new UniqueConstraint("note_pkey", "key", "Note already exists", "A note with this key exists already");
	}

	enum Mode {

		FAST, CAREFUL

	}

	record Item(@NotNull UUID id, @Positive int quantity) {
	}

	record Order(@NotBlank String name, @NotNull Mode mode, @Valid List<Item> items) {
	}

	record Note(String key, String slug, String text) {
	}

	@RestController
	static class Orders {

		@PostMapping("/orders")
		Order create(@Valid @RequestBody Order order) {
			return order;
		}

		@GetMapping("/orders/{id}")
		String read(@PathVariable UUID id) {
			return id.toString();
		}

		@GetMapping("/orders")
		String list(@RequestParam Mode mode, @RequestParam(name = "size") @Max(100) int pageSize) {
			return mode + " " + pageSize;
		}

		@GetMapping("/tenant")
		String tenant(@RequestHeader("X-Tenant") String tenant) {
			return tenant;
		}

	}

	record SecuredNote(@Nullable UUID organizationId, String text) {
	}

	/** Answers with the caller's organization. */
	@RestController
	static class SecuredNotes {

		@GetMapping("/secured/notes/{id}")
		Map<String, Object> read(@PathVariable UUID id, @RequestParam(defaultValue = "false") boolean includeDeleted,
				Organization organization) {
			return Map.of("id", id, "organizationId", organization.id(), "includeDeleted", includeDeleted);
		}

		@PostMapping("/secured/notes")
		Map<String, Object> create(@RequestBody SecuredNote note, Organization organization) {
			organization.requireSame(note.organizationId());
			return Map.of("organizationId", organization.id(), "text", note.text());
		}

		@PostMapping("/secured/revocations")
		Map<String, Object> revoke(Organization organization) {
			return Map.of("organizationId", organization.id());
		}

	}

	@RestController
	static class Notes {

		private final JdbcTemplate jdbc;

		Notes(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@PostMapping("/notes")
		void create(@RequestBody Note note) {
			this.jdbc.update("insert into note (key, slug, text) values (?, ?, ?)", note.key(), note.slug(),
					note.text());
		}

		@PutMapping("/notes/{key}")
		void update(@PathVariable String key, @RequestParam int version, @RequestBody String text) {
			if (this.jdbc.update("update note set text = ?, version = version + 1 where key = ? and version = ?", text,
					key, version) == 0) {
				throw new OptimisticLockingFailureException("Note " + key + " is not at version " + version);
			}
		}

		@GetMapping("/slow")
		@Transactional
		void slow() {
			this.jdbc.execute("set local statement_timeout = 50");
			this.jdbc.queryForList("select pg_sleep(1)");
		}

		@GetMapping("/broken")
		void broken() {
			this.jdbc.queryForList("select * from no_such_table");
		}

		@GetMapping("/unreachable")
		void unreachable() {
			new JdbcTemplate(unreachableDatabase()).queryForList("select 1");
		}

		@GetMapping("/unreachable-transaction")
		void unreachableTransaction() {
			new TransactionTemplate(new DataSourceTransactionManager(unreachableDatabase()))
				.executeWithoutResult(status -> {
				});
		}

		/** Nothing listens on port 1 of this host. */
		private static DataSource unreachableDatabase() {
			return new DriverManagerDataSource("jdbc:postgresql://localhost:1/none?connectTimeout=2", "none", "none");
		}

	}

}
