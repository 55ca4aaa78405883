/** 32-bit hashes for feature ids: FNV-1a over (part of) a string, and a murmur3-style finaliser to combine ids. */
import { fmix32, fnv1aStep, FNV_OFFSET } from "../../../../../../shared/hash/fnv1a";

export const hashRange = (s: string, from: number, to: number, seed: number): number => fnv1aStep((FNV_OFFSET ^ Math.imul(seed, 0x9e3779b1)) >>> 0, s, from, to);

export const hashString = (s: string, seed: number): number => hashRange(s, 0, s.length, seed);

export const mix = (a: number, b: number): number => fmix32(a ^ Math.imul(b + 0x632be5ab, 0x9e3779b1));
