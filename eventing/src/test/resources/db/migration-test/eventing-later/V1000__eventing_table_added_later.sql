create table eventing_table_added_later (id bigint primary key);
