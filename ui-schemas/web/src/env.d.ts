// Lets TypeScript type-check `import x from '*.json'` and `import './x.css'` the way Vite bundles them.
declare module '*.css';
