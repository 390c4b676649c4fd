create table service_table_added_later (id bigint primary key);
