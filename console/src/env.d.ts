/** Vite bundles the style sheet that main.tsx imports for its side effect. */
declare module '*.css';
