# One image for both process roles: `server` (HTTP, webhooks, sockets, console) and `worker` (queues).
# Build stage: compile the console (Vite) and the server (tsc) with the dev dependencies.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --include=dev
COPY . .
RUN npm run build

# Runtime stage: production dependencies and the compiled output only; each role is one `node` process.
FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/client/dist ./client/dist
# The attachments volume is mounted here; a new named volume takes this directory's owner.
RUN mkdir -p /files && chown node:node /files
EXPOSE 3000
USER node
ENTRYPOINT ["node", "dist/server/main.js"]
CMD ["server"]
