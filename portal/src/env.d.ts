/** Vite bundles imported style sheets; TypeScript only needs to know the import is valid. */
declare module '*.css';
