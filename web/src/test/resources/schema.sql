create table if not exists note (
	key text primary key,
	slug text not null,
	text text not null,
	version int not null default 0
);
create unique index if not exists note_slug_key on note (slug);
