-- A key is rotated at most once: two concurrent rotations both passed the "still active" check
-- and each inserted a successor, leaving two live keys. The second successor's insert now fails
-- with the whole rotation batch (the admin API answers 409).
CREATE UNIQUE INDEX api_keys_rotated_from ON api_keys (rotated_from) WHERE rotated_from IS NOT NULL;
